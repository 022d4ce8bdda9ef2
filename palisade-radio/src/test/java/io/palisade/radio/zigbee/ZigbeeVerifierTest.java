package io.palisade.radio.zigbee;

import static io.palisade.radio.zigbee.ZigbeeFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.radio.ZigbeeKeyring;
import io.palisade.radio.ieee802154.SecurityLevel;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZigbeeVerifierTest {

    private static final byte[] ZCL = HexFormat.of().parseHex("18 0a 0a 00 00 29 ec 09".replace(" ", ""));

    private final MemoryCounters counters = new MemoryCounters();
    private final CounterWindows windows = new CounterWindows(counters);
    private final ZigbeeVerifier verifier = new ZigbeeVerifier(windows);

    @Test
    void a_secured_report_from_a_bound_sensor_is_forwarded_with_its_plaintext() {
        Verdict verdict = verifier.verify(at(T0, report(100, ZCL)), keyring());
        assertThat(verdict).isInstanceOfSatisfying(Verdict.Forward.class, forward -> {
            assertThat(forward.device()).isEqualTo(SENSOR_DEVICE);
            assertThat(forward.payload()).containsExactly(ZCL);
            assertThat(forward.aps().cluster()).isEqualTo(0x0402);
            assertThat(forward.aps().sourceEndpoint()).isEqualTo(1);
        });
    }

    @Test
    void a_frame_altered_on_the_way_is_a_mic_failure_against_the_name_it_claims() {
        byte[] frame = report(100, ZCL);
        frame[frame.length - 6] ^= 0x40; // inside the encrypted payload
        Verdict verdict = verifier.verify(at(T0, frame), keyring());
        assertThat(verdict).isInstanceOfSatisfying(Verdict.Flagged.class, flagged -> {
            assertThat(flagged.finding()).isEqualTo(RadioFinding.MIC_FAILURE);
            assertThat(flagged.claimedSource()).isEqualTo("00:12:4b:00:01:02:03:04");
        });
    }

    @Test
    void a_replayed_frame_is_a_counter_regression_and_a_quick_retransmission_is_not() {
        byte[] frame = report(100, ZCL);
        assertThat(verifier.verify(at(T0, frame), keyring())).isInstanceOf(Verdict.Forward.class);
        assertThat(verifier.verify(at(T0.plusMillis(20), frame), keyring()))
                .as("the same frame again within a second: a MAC retransmission").isInstanceOf(Verdict.Ignored.class);
        assertThat(verifier.verify(at(T0.plusSeconds(30), frame), keyring()))
                .isInstanceOfSatisfying(Verdict.Flagged.class, flagged ->
                        assertThat(flagged.finding()).isEqualTo(RadioFinding.COUNTER_REGRESSION));
        assertThat(verifier.verify(at(T0.plusSeconds(31), report(99, ZCL)), keyring()))
                .as("an older counter never seen is still inside the window").isInstanceOf(Verdict.Forward.class);
        assertThat(verifier.verify(at(T0.plusSeconds(32), report(20, ZCL)), keyring()))
                .as("older than the 64-frame window").isInstanceOf(Verdict.Flagged.class);
    }

    @Test
    void the_windows_survive_a_restart() {
        verifier.verify(at(T0, report(100, ZCL)), keyring());
        assertThat(counters.saved).as("nothing persisted until the ingest says so").isEmpty();
        windows.persist();
        ZigbeeVerifier restarted = new ZigbeeVerifier(new CounterWindows(counters));
        assertThat(restarted.verify(at(T0.plusSeconds(60), report(100, ZCL)), keyring()))
                .isInstanceOfSatisfying(Verdict.Flagged.class, flagged ->
                        assertThat(flagged.finding()).isEqualTo(RadioFinding.COUNTER_REGRESSION));
        assertThat(restarted.verify(at(T0.plusSeconds(61), report(101, ZCL)), keyring()))
                .isInstanceOf(Verdict.Forward.class);
    }

    @Test
    void an_unsecured_frame_on_a_secured_network_is_a_finding() {
        byte[] frame = ZigbeeFrameWriter.unsecuredData(SENSOR, 0, 1, 1, TEMPERATURE, ZCL);
        assertThat(verifier.verify(at(T0, frame), keyring())).isInstanceOfSatisfying(Verdict.Flagged.class,
                flagged -> assertThat(flagged.finding()).isEqualTo(RadioFinding.UNSECURED_FRAME));
        ZigbeeKeyring open = new ZigbeeKeyring(Map.of(), Map.of(), Map.of(), Map.of(), 5);
        assertThat(verifier.verify(at(T0, frame), open)).as("nothing vouches for it, so it is not forwarded either")
                .isInstanceOf(Verdict.Ignored.class);
    }

    @Test
    void a_key_sequence_palisade_does_not_have_is_an_unknown_key() {
        byte[] frame = ZigbeeFrameWriter.data(SENSOR, 0, 1, 1, 5, NETWORK_KEY, 7, SecurityLevel.ENC_MIC_32,
                TEMPERATURE, ZCL);
        assertThat(verifier.verify(at(T0, frame), keyring())).isInstanceOfSatisfying(Verdict.Flagged.class,
                flagged -> {
                    assertThat(flagged.finding()).isEqualTo(RadioFinding.UNKNOWN_KEY);
                    assertThat(flagged.reason()).contains("sequence number 7");
                });
    }

    @Test
    void the_network_key_sent_under_the_default_trust_center_key_is_found() {
        assertThat(verifier.verify(at(T0, transportKeyUnderDefaultKey()), keyring()))
                .isInstanceOfSatisfying(Verdict.Flagged.class, flagged -> {
                    assertThat(flagged.finding()).isEqualTo(RadioFinding.DEFAULT_TC_LINK_KEY);
                    assertThat(flagged.reason()).contains("carrying the network key").contains("ZigBeeAlliance09");
                });
    }

    @Test
    void a_verified_frame_from_an_unbound_address_goes_nowhere() {
        ZigbeeKeyring unbound = new ZigbeeKeyring(Map.of(0, NETWORK_KEY), Map.of(), Map.of(), Map.of(), 5);
        assertThat(verifier.verify(at(T0, report(1, ZCL)), unbound)).isInstanceOfSatisfying(Verdict.Flagged.class,
                flagged -> assertThat(flagged.finding()).isEqualTo(RadioFinding.UNKNOWN_SENDER));
    }

    @Test
    void garbage_is_malformed_not_a_crash() {
        assertThat(verifier.verify(at(T0, new byte[]{0x41, (byte) 0x88, 1, 2}), keyring()))
                .isInstanceOfSatisfying(Verdict.Flagged.class, flagged ->
                        assertThat(flagged.finding()).isEqualTo(RadioFinding.MALFORMED));
    }
}
