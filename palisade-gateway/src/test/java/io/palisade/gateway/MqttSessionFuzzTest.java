package io.palisade.gateway;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.file.Files;

/**
 * Fuzz target for the MQTT decoding path: arbitrary bytes from an authenticated device, before or
 * after a successful CONNECT, through the real decoder and device session (broker scripted). Nothing
 * may escape as an exception; a bad packet must end in a closed connection, never a crash.
 */
class MqttSessionFuzzTest {

    private static final SessionHarness.World WORLD = world();

    private static SessionHarness.World world() {
        try {
            return new SessionHarness.World(Files.createTempDirectory("palisade-mqtt-fuzz"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void device_bytes_never_crash_the_session(FuzzedDataProvider data) {
        SessionHarness harness = new SessionHarness(WORLD, GatewayLimits.defaults().withSessionLimits(4096, 10, 8));
        try {
            if (data.consumeBoolean()) {
                harness.connected(data.consumeBoolean() ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1);
            }
            harness.sendBytes(Unpooled.wrappedBuffer(data.consumeRemainingAsBytes()));
            harness.received();
            harness.device.checkException();
        } finally {
            harness.closeConnection();
        }
    }
}
