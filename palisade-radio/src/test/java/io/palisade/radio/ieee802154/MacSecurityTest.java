package io.palisade.radio.ieee802154;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** IEEE 802.15.4-2006 Annex C.2 test vectors (key C0..CF, sender ACDE480000000001, frame counter 5). */
class MacSecurityTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = HEX.parseHex("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf");
    private static final long SENDER = 0xacde480000000001L;

    /** C.2.1: a beacon at MIC-64 (authenticated, not encrypted). */
    private static final byte[] BEACON = HEX.parseHex("08d0842143010000000048deac02050000" + "0055cf000051525354"
            + "223bc1ec841ab553");

    /** C.2.3: an association request command at ENC-MIC-64 (the command payload 0xCE encrypted to 0xD8). */
    private static final byte[] COMMAND = HEX.parseHex("2bdc84214302000000" + "0048deacffff01000000"
            + "0048deac0605000000" + "01d84fde529061f9c6f1");

    @Test
    void the_beacon_vector_parses_and_verifies() throws Exception {
        MacFrame frame = MacFrameParser.parse(BEACON);
        assertThat(frame.type()).isEqualTo(FrameType.BEACON);
        assertThat(frame.source()).isEqualTo(MacAddress.ofExtended(SENDER));
        assertThat(frame.sourcePan()).isEqualTo(0x4321);
        AuxSecurityHeader security = frame.security().orElseThrow();
        assertThat(security.level()).isEqualTo(SecurityLevel.MIC_64);
        assertThat(security.frameCounter()).isEqualTo(5);
        assertThat(MacSecurity.open(frame, SENDER, KEY)).containsExactly(HEX.parseHex("55cf000051525354"));
    }

    @Test
    void the_command_vector_decrypts_to_its_plaintext() throws Exception {
        MacFrame frame = MacFrameParser.parse(COMMAND);
        assertThat(frame.type()).isEqualTo(FrameType.COMMAND);
        assertThat(frame.destination()).isEqualTo(MacAddress.ofExtended(0xacde480000000002L));
        assertThat(frame.headerLength()).as("header and command id are authenticated, not encrypted").isEqualTo(29);
        assertThat(MacSecurity.open(frame, SENDER, KEY)).containsExactly(0xce);
    }

    @Test
    void sealing_reproduces_the_vectors() {
        byte[] header = java.util.Arrays.copyOf(COMMAND, 29);
        byte[] nonce = MacSecurity.nonce(SENDER, 5, SecurityLevel.ENC_MIC_64);
        assertThat(CcmStar.seal(KEY, nonce, SecurityLevel.ENC_MIC_64, header, new byte[]{(byte) 0xce}))
                .containsExactly(HEX.parseHex("d84fde529061f9c6f1"));
        byte[] beaconHeader = java.util.Arrays.copyOf(BEACON, 18);
        assertThat(CcmStar.seal(KEY, MacSecurity.nonce(SENDER, 5, SecurityLevel.MIC_64), SecurityLevel.MIC_64,
                beaconHeader, HEX.parseHex("55cf000051525354")))
                .containsExactly(HEX.parseHex("55cf000051525354223bc1ec841ab553"));
    }

    @Test
    void any_altered_byte_fails_the_mic() throws Exception {
        for (int i = 0; i < COMMAND.length; i++) {
            byte[] altered = COMMAND.clone();
            altered[i] ^= 0x01;
            MacFrame frame;
            try {
                frame = MacFrameParser.parse(altered);
            } catch (FrameFormatException e) {
                continue; // a header bit flip may make it unparseable, which also refuses it
            }
            MacFrame parsed = frame;
            assertThatThrownBy(() -> MacSecurity.open(parsed, SENDER, KEY)).as("byte " + i)
                    .isInstanceOf(CcmStar.MicMismatch.class);
        }
    }

    @Test
    void levels_without_a_mic_round_trip_through_counter_mode() throws Exception {
        byte[] nonce = MacSecurity.nonce(SENDER, 9, SecurityLevel.ENC);
        byte[] sealed = CcmStar.seal(KEY, nonce, SecurityLevel.ENC, new byte[3], "hello".getBytes());
        assertThat(sealed).hasSize(5).isNotEqualTo("hello".getBytes());
        assertThat(CcmStar.open(KEY, nonce, SecurityLevel.ENC, new byte[3], sealed)).isEqualTo("hello".getBytes());
    }

    @Test
    void malformed_frames_are_refused_with_the_reason() {
        assertThatThrownBy(() -> MacFrameParser.parse(new byte[]{0x41})).isInstanceOf(FrameFormatException.class)
                .hasMessageContaining("ends at byte 1");
        assertThatThrownBy(() -> MacFrameParser.parse(HEX.parseHex("440000"))).hasMessageContaining("frame type 4");
        assertThatThrownBy(() -> MacFrameParser.parse(HEX.parseHex("4114" + "00"))).hasMessageContaining("reserved");
        assertThatThrownBy(() -> MacFrameParser.parse(new byte[126])).hasMessageContaining("longer than");
        byte[] truncatedMic = java.util.Arrays.copyOf(BEACON, 20);
        assertThatThrownBy(() -> MacFrameParser.parse(truncatedMic)).hasMessageContaining("MIC");
    }
}
