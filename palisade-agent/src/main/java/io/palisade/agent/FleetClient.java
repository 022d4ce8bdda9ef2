package io.palisade.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.device.DeviceId;
import io.palisade.core.fleet.FleetTopics;
import io.palisade.core.rollout.MemberState;
import io.palisade.pki.DeviceIdentity;
import io.palisade.pki.TlsContexts;
import io.palisade.pki.est.DeviceCredentials;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The device's connection to its gateway for management: mutual TLS with the device's own
 * certificate, client id = device id, subscribed to its management channel for update offers and
 * commands, and publishing its reports there. Offers and commands are handled one at a time on
 * the agent's own thread, never on the MQTT client's.
 */
public final class FleetClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FleetClient.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeviceId device;
    private final MqttClient client;
    private final ExecutorService worker;
    private final boolean attesting;

    private FleetClient(DeviceId device, MqttClient client, ExecutorService worker, boolean attesting) {
        this.device = device;
        this.client = client;
        this.worker = worker;
        this.attesting = attesting;
    }

    /**
     * Connects to {@code host:port} (the gateway's MQTT port) and starts listening.
     *
     * @param offers   called for each update offer
     * @param commands called with the raw payload of each command on {@code quarantine/{id}/command}
     */
    public static FleetClient connect(String host, int port, DeviceCredentials credentials,
                                      Consumer<UpdateOffer> offers, Consumer<byte[]> commands) throws MqttException {
        return connect(host, port, credentials, offers, commands, null);
    }

    /**
     * As above; a device with a TPM also takes attestation challenges ({@code challenges}: this client, to answer
     * on, and the raw payload; it may come before {@code connect} returns).
     */
    public static FleetClient connect(String host, int port, DeviceCredentials credentials,
                                      Consumer<UpdateOffer> offers, Consumer<byte[]> commands,
                                      java.util.function.BiConsumer<FleetClient, byte[]> challenges) throws MqttException {
        DeviceId device = DeviceIdentity.of(credentials.certificate()).orElseThrow(() ->
                new IllegalArgumentException("the device certificate names no device id"));
        MqttClient client = new MqttClient("ssl://" + host + ":" + port, device.value(), new MemoryPersistence());
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "palisade-agent-" + device.value());
            thread.setDaemon(true);
            return thread;
        });
        FleetClient fleet = new FleetClient(device, client, worker, challenges != null);
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                if (reconnect) {
                    fleet.subscribe();
                }
            }

            @Override
            public void connectionLost(Throwable cause) {
                LOG.log(System.Logger.Level.INFO, device + " lost its gateway connection; reconnecting");
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                byte[] payload = message.getPayload();
                if (topic.equals(FleetTopics.update(device))) {
                    UpdateOffer.parse(payload).ifPresent(offer -> worker.execute(() -> offers.accept(offer)));
                } else if (topic.equals(FleetTopics.command(device)) && payload.length > 0) {
                    worker.execute(() -> commands.accept(payload));
                } else if (challenges != null && topic.equals(FleetTopics.attestChallenge(device)) && payload.length > 0) {
                    worker.execute(() -> challenges.accept(fleet, payload));
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(TlsContexts.client(credentials.caCertificates(), Optional.of(credentials.identity()))
                .getSocketFactory());
        options.setCleanSession(true);
        options.setAutomaticReconnect(true);
        options.setConnectionTimeout(30);
        options.setKeepAliveInterval(60);
        client.connect(options);
        fleet.subscribe();
        return fleet;
    }

    private void subscribe() {
        try {
            if (attesting) {
                client.subscribe(new String[]{FleetTopics.update(device), FleetTopics.command(device),
                        FleetTopics.attestChallenge(device)}, new int[]{1, 1, 1});
            } else {
                client.subscribe(new String[]{FleetTopics.update(device), FleetTopics.command(device)}, new int[]{1, 1});
            }
        } catch (MqttException e) {
            LOG.log(System.Logger.Level.WARNING, device + " could not subscribe to its management channel: " + e);
        }
    }

    public DeviceId device() {
        return device;
    }

    /** A reporter that publishes update progress for {@code rollout} (empty when not part of one). */
    public UpdateReporter reporter(String rollout) {
        return (state, target, message) -> publish(FleetTopics.updateStatus(device), JSON.createObjectNode()
                .put("rollout", rollout).put("target", target).put("state", state.wireName()).put("message", message)
                .toString());
    }

    /** Reports a file integrity change and what the agent did about it ({@code file.modified} at the control plane). */
    public void integrity(io.palisade.agent.fim.FileChange change, String response) {
        publish(FleetTopics.integrity(device), io.palisade.agent.fim.FileChangeJson.toJson(change, response).toString());
    }

    /**
     * Sends a signed tamper report ({@code tamper.detected} at the control plane) at QoS 1; true once the
     * gateway acknowledged it, false while offline (the caller keeps it and retries).
     */
    public boolean tamper(byte[] envelope) {
        try {
            client.publish(FleetTopics.tamper(device), envelope, 1, false);
            return true;
        } catch (MqttException e) {
            LOG.log(System.Logger.Level.WARNING, device + " could not deliver a tamper report yet: " + e.getMessage());
            return false;
        }
    }

    /** Answers an attestation challenge with a quote (JSON, see {@link FleetTopics#ATTEST_QUOTE}). */
    public void quote(String json) {
        publish(FleetTopics.attestQuote(device), json);
    }

    /** Reports a window of traffic the device's firewall blocked ({@code firewall.blocked} at the control plane). */
    public void firewall(String json) {
        publish(FleetTopics.firewall(device), json);
    }

    /** Reports what became of a command (see {@link FleetTopics#COMMAND_RESULT}). */
    public void commandResult(String nonce, String command, boolean done, String message) {
        publish(FleetTopics.commandResult(device), JSON.createObjectNode().put("nonce", nonce).put("command", command)
                .put("result", done ? "done" : "refused").put("message", message).toString());
    }

    private void publish(String topic, String json) {
        try {
            client.publish(topic, json.getBytes(StandardCharsets.UTF_8), 1, false);
        } catch (MqttException e) {
            LOG.log(System.Logger.Level.WARNING, device + " could not send its report on " + topic + ": " + e);
        }
    }

    /** Reports an update state outside a roll-out's offer (e.g. a reflash). */
    public void report(String rollout, MemberState state, String target, String message) {
        reporter(rollout).report(state, target, message);
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            if (client.isConnected()) {
                client.disconnect(2_000);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.log(System.Logger.Level.DEBUG, device + " closing its gateway connection: " + e);
        }
    }
}
