package io.palisade.gateway;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.file.Files;

/**
 * Fuzz target for the MQTT decoding path: arbitrary bytes from an authenticated device, before or
 * after a successful CONNECT, through the real decoder and device session (broker scripted, its PUBACK and
 * PUBREC reason codes chosen by the input, so refused QoS 1/2 flows are fuzzed as well; or a broker that
 * speaks only 3.1.1, so the MQTT 5 translation is fuzzed too). Nothing
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
        // One world (database, certificate) for every input, but no quota state carried from one input to the
        // next: each input must replay alike.
        WORLD.resetQuotas();
        SessionHarness harness = new SessionHarness(WORLD, GatewayLimits.defaults().withSessionLimits(4096, 10, 8)
                .with("connects-per-second-per-device", "1000000"));
        try {
            if (data.consumeBoolean()) {
                boolean v5 = data.consumeBoolean();
                // The broker's replies are scripted from the input too: MQTT 5 PUBACK/PUBREC may refuse, or the
                // broker speaks only 3.1.1 and the gateway carries the MQTT 5 device over it.
                boolean refusing = v5 && data.consumeBoolean();
                int reasonCode = refusing ? data.consumeInt(0x80, 0xA2) : 0;
                harness.brokerSpeaks5 = !v5 || refusing || data.consumeBoolean();
                harness.connected(v5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1);
                harness.brokerReasonCode = reasonCode;
            }
            if (harness.deviceOpen()) { // the gateway may close a connection during CONNECT; that is no crash
                harness.sendBytes(Unpooled.wrappedBuffer(data.consumeRemainingAsBytes()));
            }
            harness.received();
            harness.device.checkException();
        } finally {
            harness.closeConnection();
        }
    }
}
