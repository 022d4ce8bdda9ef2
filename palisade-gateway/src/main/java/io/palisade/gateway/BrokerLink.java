package io.palisade.gateway;

import io.palisade.core.Errors;
import io.palisade.core.fleet.FleetChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.eclipse.paho.client.mqttv3.DisconnectedBufferOptions;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The control plane's {@link FleetChannel}: one MQTT client connection to the upstream broker, with
 * the gateway's own credentials, that reconnects by itself, re-subscribes after every reconnect and
 * buffers what is published while the broker is away (up to {@value #BUFFER} messages).
 *
 * <p>It connects in the background: {@code palisade up} starts even while the broker is down, as
 * the gateway does.
 */
public final class BrokerLink implements FleetChannel, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BrokerLink.class.getName());
    private static final int BUFFER = 10_000;

    private final MqttAsyncClient client;
    private final Map<String, BiConsumer<String, byte[]>> handlers = new ConcurrentHashMap<>();

    private BrokerLink(MqttAsyncClient client) {
        this.client = client;
    }

    public static BrokerLink connect(UpstreamAddress address, String clientId) {
        try {
            MqttAsyncClient client = new MqttAsyncClient((address.tls() ? "ssl://" : "tcp://") + hostForUri(address.host())
                    + ":" + address.port(), clientId, new MemoryPersistence());
            BrokerLink link = new BrokerLink(client);
            client.setCallback(link.new Callback());
            DisconnectedBufferOptions buffer = new DisconnectedBufferOptions();
            buffer.setBufferEnabled(true);
            buffer.setBufferSize(BUFFER);
            buffer.setDeleteOldestMessages(false);
            client.setBufferOpts(buffer);
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            options.setAutomaticReconnect(true);
            options.setMaxReconnectDelay(10_000);
            options.setKeepAliveInterval(30);
            options.setMaxInflight(1000);
            address.username().ifPresent(options::setUserName);
            address.password().ifPresent(p -> options.setPassword(p.toCharArray()));
            if (address.tls()) {
                options.setSocketFactory(io.palisade.pki.TlsPolicy.enforce(
                        io.palisade.pki.TlsPolicy.clientContext(address.trustAnchors()).getSocketFactory()));
                options.setHttpsHostnameVerificationEnabled(true);
            }
            connectInBackground(client, options, address);
            return link;
        } catch (MqttException | IllegalStateException e) {
            throw new IllegalStateException("cannot set up the control plane's connection to " + address + ": "
                    + Errors.rootMessage(e), e);
        }
    }

    /** The first attempt may fail (broker down); Paho's automatic reconnect only covers lost connections. */
    private static void connectInBackground(MqttAsyncClient client, MqttConnectOptions options, UpstreamAddress address) {
        Thread thread = new Thread(() -> {
            long delay = 500;
            // An embedded broker started alongside may take a few seconds on a busy machine: only a broker
            // still unreachable after that is worth a warning.
            long quietUntil = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (!client.isConnected()) {
                try {
                    client.connect(options).waitForCompletion(10_000);
                    return;
                } catch (MqttException e) {
                    if (e.getReasonCode() == MqttException.REASON_CODE_CLIENT_CLOSED) {
                        return;
                    }
                    LOG.log(System.nanoTime() < quietUntil ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                            "control plane cannot reach the broker " + address + " yet (" + Errors.rootMessage(e)
                                    + "); retrying");
                }
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    return;
                }
                delay = Math.min(10_000, delay * 2);
            }
        }, "palisade-broker-link-connect");
        thread.setDaemon(true);
        thread.start();
    }

    private static String hostForUri(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void publish(String topic, byte[] payload, boolean retained) {
        try {
            MqttMessage message = new MqttMessage(payload);
            message.setQos(1);
            message.setRetained(retained);
            client.publish(topic, message);
        } catch (MqttException e) {
            throw new IllegalStateException("cannot send to " + topic + ": " + Errors.rootMessage(e), e);
        }
    }

    @Override
    public void subscribe(String filter, BiConsumer<String, byte[]> handler) {
        handlers.put(filter, handler);
        if (client.isConnected()) {
            subscribeNow(filter);
        }
    }

    private void subscribeNow(String filter) {
        try {
            client.subscribe(filter, 1);
        } catch (MqttException e) {
            LOG.log(System.Logger.Level.WARNING, "control plane could not subscribe to " + filter + ": "
                    + Errors.rootMessage(e) + "; retrying after the next reconnect");
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the broker link: " + Errors.rootMessage(e));
        } finally {
            try {
                client.close(true);
            } catch (MqttException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the broker link: " + Errors.rootMessage(e));
            }
        }
    }

    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            LOG.log(System.Logger.Level.INFO, "control plane connected to the broker " + serverUri);
            handlers.keySet().forEach(BrokerLink.this::subscribeNow);
        }

        @Override
        public void connectionLost(Throwable cause) {
            LOG.log(System.Logger.Level.WARNING, "control plane lost the broker connection: "
                    + Errors.rootMessage(cause) + "; reconnecting");
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            for (Map.Entry<String, BiConsumer<String, byte[]>> entry : handlers.entrySet()) {
                if (io.palisade.core.policy.TopicFilters.contains(entry.getKey(), topic)) {
                    try {
                        entry.getValue().accept(topic, message.getPayload());
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "handling a message on " + topic + " failed: "
                                + Errors.rootMessage(e), e);
                    }
                }
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }
}
