package io.palisade.gateway;

import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Eclipse Paho clients (MQTT 3.1.1 and 5) connected through the gateway with a device's certificate. */
final class PahoClients {

    private PahoClients() {
    }

    /** An MQTT 3.1.1 client that records what arrives and whether the connection was lost. */
    static final class V3 implements MqttCallback, AutoCloseable {
        final MqttClient client;
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final BlockingQueue<Throwable> lost = new LinkedBlockingQueue<>();

        V3(GatewayFixture fixture, Path credentials, String clientId, boolean cleanSession) throws Exception {
            client = new MqttClient("ssl://localhost:" + fixture.port(), clientId, new MemoryPersistence());
            client.setCallback(this);
            MqttConnectOptions options = new MqttConnectOptions();
            options.setSocketFactory(fixture.socketFactory(credentials));
            options.setCleanSession(cleanSession);
            options.setAutomaticReconnect(false);
            options.setConnectionTimeout(10);
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            client.connect(options);
        }

        @Override
        public void connectionLost(Throwable cause) {
            lost.add(cause);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(topic + " " + new String(message.getPayload()));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }

        @Override
        public void close() throws Exception {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close(true);
        }
    }

    /** An MQTT 5 client that records what arrives and how the server disconnected it. */
    static final class V5 implements org.eclipse.paho.mqttv5.client.MqttCallback, AutoCloseable {
        final org.eclipse.paho.mqttv5.client.MqttAsyncClient client;
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final BlockingQueue<MqttDisconnectResponse> disconnected = new LinkedBlockingQueue<>();

        V5(GatewayFixture fixture, Path credentials, String clientId) throws Exception {
            client = new org.eclipse.paho.mqttv5.client.MqttAsyncClient("ssl://localhost:" + fixture.port(), clientId,
                    new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
            client.setCallback(this);
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setSocketFactory(fixture.socketFactory(credentials));
            options.setCleanStart(true);
            options.setAutomaticReconnect(false);
            options.setConnectionTimeout(10);
            client.connect(options).waitForCompletion(15_000);
        }

        /** Subscribes at QoS 1 and returns the reason code per filter. */
        int[] subscribe(String... filters) throws MqttException {
            org.eclipse.paho.mqttv5.common.MqttSubscription[] subscriptions =
                    new org.eclipse.paho.mqttv5.common.MqttSubscription[filters.length];
            for (int i = 0; i < filters.length; i++) {
                subscriptions[i] = new org.eclipse.paho.mqttv5.common.MqttSubscription(filters[i], 1);
            }
            IMqttToken token = client.subscribe(subscriptions);
            try {
                token.waitForCompletion(10_000);
            } catch (MqttException e) {
                // Paho reports refused subscriptions as an exception; the codes are on the token.
            }
            return token.getReasonCodes();
        }

        /** Publishes and returns the reason code of the acknowledgement (0 for QoS 0). */
        int publish(String topic, String payload, int qos) throws MqttException {
            IMqttToken token = client.publish(topic, new org.eclipse.paho.mqttv5.common.MqttMessage(
                    payload.getBytes(), qos, false, null));
            try {
                token.waitForCompletion(10_000);
            } catch (MqttException e) {
                return e.getReasonCode();
            }
            int[] codes = token.getReasonCodes();
            return codes == null || codes.length == 0 ? 0 : codes[0];
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            disconnected.add(response);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage message) {
            received.add(topic + " " + new String(message.getPayload()));
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }

        @Override
        public void close() throws Exception {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(5_000);
            }
            client.close(true);
        }
    }
}
