package io.palisade.app;

import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.pki.TlsContexts;
import io.palisade.pki.est.DeviceCredentials;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One enrolled device driven by a clock: QoS 1 to its own tree every tick (PUBACK round trips kept), and a
 * refused QoS 0 publish every {@code refusedEvery} ticks, so that security events keep coming while the
 * store is being tested. {@link #denialsCountedInStore} reads back what the store made of those refusals.
 */
final class TickingDevice implements MqttCallback, AutoCloseable {

    final MqttAsyncClient client;
    final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    final String id;
    private final int refusedEvery;
    /** QoS 1 publishes sent in the current window. */
    volatile long sent;
    /** QoS 1 publishes acknowledged since the connection. */
    volatile long acknowledged;
    volatile long refusedSent;
    private int ticks;

    TickingDevice(RunningPalisade palisade, Path credentials, String id, int refusedEvery) throws Exception {
        this.id = id;
        this.refusedEvery = refusedEvery;
        client = new MqttAsyncClient("ssl://localhost:" + palisade.mqttPort(), id, new MemoryPersistence());
        client.setCallback(this);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(TlsContexts.client(palisade.controlPlane().ca().chain(),
                Optional.of(DeviceCredentials.read(credentials).identity())).getSocketFactory());
        options.setCleanSession(true);
        options.setMaxInflight(1000);
        options.setAutomaticReconnect(false);
        client.connect(options).waitForCompletion(15_000);
    }

    void tick() {
        try {
            if (++ticks % refusedEvery == 0) {
                client.publish("elsewhere/" + id, new MqttMessage(new byte[16]));
                refusedSent++;
            }
            MqttMessage message = new MqttMessage(new byte[64]);
            message.setQos(1);
            long start = System.nanoTime();
            sent++;
            client.publish("devices/" + id + "/t", message, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    latencies.add(System.nanoTime() - start);
                    acknowledged++;
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                }
            });
        } catch (Exception e) {
            // counted as missing acknowledgements
        }
    }

    /** Starts a new measurement window. */
    void reset() {
        latencies.clear();
        sent = 0;
    }

    /** Per device: its acl.denied events stored one by one plus those summaries say were suppressed. */
    static Map<String, Long> denialsCountedInStore(RunningPalisade palisade) {
        Map<String, Long> counted = new TreeMap<>();
        long after = 0;
        while (true) {
            List<SecurityEvent> page = palisade.controlPlane().events().query(new EventQuery(
                    after, EventQuery.MAX_LIMIT, Optional.of(EventType.ACL_DENIED), Optional.empty()));
            if (page.isEmpty()) {
                return counted;
            }
            for (SecurityEvent event : page) {
                long n = event.details().containsKey("suppressed") ? Long.parseLong(event.details().get("suppressed")) : 1;
                counted.merge(event.device().map(d -> d.value()).orElse("?"), n, Long::sum);
                after = event.id();
            }
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
    }

    @Override
    public void close() throws Exception {
        if (client.isConnected()) {
            client.disconnect(5_000).waitForCompletion(10_000); // everything sent reaches the gateway first
        }
        client.close(true);
    }
}
