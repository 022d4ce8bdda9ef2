package io.palisade.radio.zigbee;

import static io.palisade.radio.zigbee.ZigbeeFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.radio.capture.PcapWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wireshark's ZigBee dissector (tshark, Debian) reads the same frames Palisade verifies: given the network key it must
 * decrypt the NWK layer to the same APS header and payload, and given the default trust-center link key it must
 * decrypt the transport-key command that Palisade flags. Frames Palisade builds and verifies, checked
 * by an implementation that shares no code with it (nonce byte order, restored security level, MMO key hash).
 */
class TsharkCrossCheckTest {

    private static final byte[] ZCL = HexFormat.of().parseHex("180a0a000029ec09");

    @Test
    void tshark_decrypts_palisade_frames_to_what_palisade_reads(@TempDir Path dir) throws Exception {
        byte[] report = report(4242, ZCL);
        byte[] transport = transportKeyUnderDefaultKey();
        Path pcap = dir.resolve("zigbee.pcap");
        Files.write(pcap, new PcapWriter().frame(T0, report).frame(T0.plusSeconds(1), transport).toByteArray());

        List<String> lines = tshark(pcap, "zbee_nwk.src64", "zbee.sec.counter", "zbee_aps.cluster",
                "zbee_aps.src", "zbee_zcl_meas_sensing.tempmeas.attr.value", "zbee_aps.cmd.id", "zbee_aps.cmd.key");
        assertThat(lines).hasSize(2);
        String[] first = lines.get(0).split("\t", -1);
        assertThat(first[0]).isEqualTo("00:12:4b:00:01:02:03:04");
        assertThat(first[1]).isEqualTo("4242");
        assertThat(Integer.decode(first[2])).as("APS cluster, readable only after NWK decryption").isEqualTo(0x0402);
        assertThat(first[3]).isEqualTo("1");
        assertThat(first[4]).as("tshark read the ZCL report inside: 0x09ec = 25.40 degrees").isEqualTo("2540");

        Verdict ours = new ZigbeeVerifier(new CounterWindows(new MemoryCounters())).verify(at(T0, report), keyring());
        assertThat(ours).isInstanceOfSatisfying(Verdict.Forward.class, forward -> {
            assertThat(forward.aps().cluster()).isEqualTo(Integer.decode(first[2]));
            assertThat(forward.payload()).containsExactly(ZCL);
        });

        String[] second = lines.get(1).split("\t", -1);
        assertThat(Integer.decode(second[5])).as("tshark read the transport-key command id").isEqualTo(5);
        assertThat(second[6].replace(":", "")).as("the network key, as anyone with tshark reads it")
                .isEqualToIgnoringCase(HexFormat.of().formatHex(NETWORK_KEY));
    }

    @Test
    void a_tampered_frame_fails_in_tshark_as_it_fails_here(@TempDir Path dir) throws Exception {
        byte[] tampered = report(7, ZCL);
        tampered[tampered.length - 6] ^= 0x40;
        Path pcap = dir.resolve("tampered.pcap");
        Files.write(pcap, new PcapWriter().frame(T0, tampered).toByteArray());
        List<String> lines = tshark(pcap, "zbee_aps.cluster", "_ws.expert.message");
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).split("\t", -1)[0]).as("no APS header without decryption").isEmpty();
        assertThat(lines.get(0)).as("tshark could not decrypt it either").contains("Encrypted Payload");
    }

    private static List<String> tshark(Path pcap, String... fields) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(),
                "-o", "uat:zigbee_pc_keys:\"" + HexFormat.of().formatHex(NETWORK_KEY) + "\",\"Normal\",\"network\"",
                "-o", "uat:zigbee_pc_keys:\"" + HexFormat.of().formatHex(WellKnownKeys.DEFAULT_TC_LINK_KEY)
                        + "\",\"Normal\",\"default trust-center link key\"",
                "-T", "fields"));
        for (String field : fields) {
            command.add("-e");
            command.add(field);
        }
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new AssertionError("tshark is needed (Debian package tshark; ./test installs it)", e);
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("tshark " + String.join(" ", command)).isZero();
        return out.lines().toList();
    }
}
