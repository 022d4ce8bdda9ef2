package io.palisade.radio.zigbee;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.palisade.radio.ieee802154.SecurityLevel;
import java.util.Arrays;

/**
 * Whatever a radio delivers: verification never throws and answers a verdict with a reason; nothing is forwarded
 * that the keys did not vouch for. Half the inputs go in as they are (the 802.15.4 and NWK parsers); the other half
 * are sealed as the APS payload of a correctly secured NWK frame, so the APS parser behind decryption is fuzzed too.
 * Replayed over saved inputs in every test run; {@code JAZZER_FUZZ=1 mvn -pl palisade-radio test
 * -Dtest=ZigbeeFrameFuzzTest} fuzzes.
 */
class ZigbeeFrameFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyFrameGetsAVerdictWithAReason(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return;
        }
        ZigbeeVerifier verifier = new ZigbeeVerifier(new CounterWindows(new MemoryCounters()));
        byte[] frame;
        boolean sealed = (bytes[0] & 1) == 1;
        byte[] rest = Arrays.copyOfRange(bytes, 1, Math.min(bytes.length, 100));
        if (sealed) {
            byte[] nwk = ZigbeeFrameWriter.nwkSecured(ZigbeeFixtures.SENSOR, 0, 1, 1000,
                    ZigbeeFixtures.NETWORK_KEY, 0, SecurityLevel.ENC_MIC_32, rest);
            frame = new io.palisade.radio.ieee802154.Writer().u16(0x8841).u8(1).u16(ZigbeeFixtures.PAN).u16(0)
                    .u16(ZigbeeFixtures.SENSOR.shortAddress()).bytes(nwk).toByteArray();
        } else {
            frame = rest;
        }
        Verdict verdict = verifier.verify(ZigbeeFixtures.at(ZigbeeFixtures.T0, frame), ZigbeeFixtures.keyring());
        if (verdict instanceof Verdict.Forward forward) {
            assertThat(sealed).as("only a frame under the network key is forwarded").isTrue();
            assertThat(forward.device()).isEqualTo(ZigbeeFixtures.SENSOR_DEVICE);
        } else if (verdict instanceof Verdict.Flagged flagged) {
            assertThat(flagged.reason()).isNotBlank();
        } else {
            assertThat(((Verdict.Ignored) verdict).why()).isNotBlank();
        }
    }
}
