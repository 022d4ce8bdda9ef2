package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.palisade.radio.capture.PcapWriter;
import io.palisade.radio.capture.ZepDecoder;
import io.palisade.radio.ieee802154.SecurityLevel;
import io.palisade.radio.ieee802154.Writer;
import io.palisade.radio.zigbee.WellKnownKeys;
import io.palisade.radio.zigbee.ZigbeeFrameWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZigBee at the gateway end to end: a sniffer's live ZEP feed and an uploaded capture, verified under the keys given to
 * {@code palisade zigbee}, with Mosquitto behind Palisade and {@code mosquitto_sub} reading what arrives. A bound
 * sensor's reports reach its topic; a tampered frame, a replay, an unsecured frame and the network key sent under the
 * default trust-center link key are findings against the feed, not the sensor; the counters survive a restart; a
 * quarantined sensor's reports are refused.
 */
class ZigbeeIT {

    private static final HexFormat HEX = HexFormat.of();
    private static final String NETWORK_KEY = "01030507090b0d0f00020406080a0c0d";
    private static final ZigbeeFrameWriter.Sender SENSOR = new ZigbeeFrameWriter.Sender(0x1a62, 0x7a3b,
            0x00124b0001020304L);
    private static final ZigbeeFrameWriter.Sender COORDINATOR = new ZigbeeFrameWriter.Sender(0x1a62, 0, 0x00124b00aabbccddL);
    private static final ZigbeeFrameWriter.ApsData TEMPERATURE = new ZigbeeFrameWriter.ApsData(1, 0x0402, 0x0104, 1, 1);
    private static final byte[] ZCL = HEX.parseHex("180a0a000029ec09");

    @TempDir
    Path dir;

    @Test
    void verified_reports_reach_the_sensors_topic_and_forgeries_replays_and_weak_keys_are_findings() throws Exception {
        Path data = dir.resolve("data");
        String[] at = {"--data", data.toString()};
        int feedPort = PalisadeProcess.freePort();
        int https = PalisadeProcess.freePort();
        int mqtt = PalisadeProcess.freePort();
        try (OwnMosquitto broker = OwnMosquitto.start(dir)) {
            List<String> options = List.of("--zigbee-port", Integer.toString(feedPort), "--upstream",
                    "mqtt://127.0.0.1:" + broker.port());
            try (PalisadeProcess palisade = PalisadeProcess.start(data, https, mqtt, options)) {
                assertThat(palisade.output()).contains("ZigBee feed    udp port " + feedPort);
                assertThat(cli(at, "device", "add", "temp-7").exitCode()).isZero();
                Cli.Result key = cli(at, "zigbee", "key", "add", "network", "0", "--key", NETWORK_KEY);
                assertThat(key.exitCode()).as(key.err()).isZero();
                Cli.Result generated = cli(at, "zigbee", "key", "add", "network", "1");
                assertThat(generated.out()).containsPattern("(?m)^[0-9a-f]{32}$").contains("shown once");
                Cli.Result weak = cli(at, "zigbee", "key", "add", "link", "00:12:4b:00:01:02:03:04", "--key",
                        HEX.formatHex(WellKnownKeys.DEFAULT_TC_LINK_KEY));
                assertThat(weak.exitCode()).isNotZero();
                assertThat(weak.err()).contains("well-known default trust-center link key");
                assertThat(cli(at, "zigbee", "bind", "00124b0001020304", "temp-7").out())
                        .contains("00:12:4b:00:01:02:03:04 is device temp-7");
                Cli.Result listed = cli(at, "zigbee", "list");
                assertThat(listed.out()).contains("network key 0").contains("network key 1")
                        .doesNotContain(NETWORK_KEY);

                Process subscriber = subscribe(broker, 2);
                try (DatagramSocket sniffer = new DatagramSocket()) {
                    send(sniffer, feedPort, report(100));
                    send(sniffer, feedPort, report(101));
                    byte[] tampered = report(102);
                    tampered[tampered.length - 6] ^= 0x40;
                    send(sniffer, feedPort, tampered);
                    send(sniffer, feedPort, ZigbeeFrameWriter.unsecuredData(SENSOR, 0, 9, 9, TEMPERATURE, ZCL));
                    send(sniffer, feedPort, transportKeyUnderDefaultKey());
                    Thread.sleep(1_500); // past the retransmission window: now the same frame is a replay
                    send(sniffer, feedPort, report(100));
                }
                assertThat(subscriber.waitFor(20, TimeUnit.SECONDS)).as("two reports reached the broker").isTrue();
                String received = new String(subscriber.getInputStream().readAllBytes());
                assertThat(received.lines().toList()).containsExactly("devices/temp-7/zigbee/1/0402 " + HEX.formatHex(ZCL),
                        "devices/temp-7/zigbee/1/0402 " + HEX.formatHex(ZCL));

                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> findings(at).size() >= 4);
                List<JsonNode> findings = findings(at);
                assertThat(findings).extracting(e -> e.path("details").path("finding").asText())
                        .contains("mic-failure", "unsecured-frame", "default-tc-link-key", "counter-regression");
                assertThat(findings).allSatisfy(e -> {
                    assertThat(e.has("device")).as("a frame naming the sensor proves nothing against it").isFalse();
                    assertThat(e.path("source").asText()).startsWith("zep:127.0.0.1/");
                });
                assertThat(findings).anySatisfy(e -> {
                    assertThat(e.path("details").path("finding").asText()).isEqualTo("mic-failure");
                    assertThat(e.path("details").path("claimed_source").asText()).isEqualTo("00:12:4b:00:01:02:03:04");
                });
            }

            // After a restart the windows still hold: a capture with the already-forwarded frame 101 and a new 103.
            try (PalisadeProcess palisade = PalisadeProcess.start(data, https, mqtt, options)) {
                Process subscriber = subscribe(broker, 1);
                Path capture = dir.resolve("capture.pcap");
                Files.write(capture, new PcapWriter().frame(Instant.now(), report(101))
                        .frame(Instant.now(), report(103)).toByteArray());
                Cli.Result ingested = cli(at, "zigbee", "ingest", capture.toString());
                assertThat(ingested.exitCode()).as(ingested.err()).isZero();
                assertThat(ingested.out()).contains("2 frames, 1 forwarded").contains("counter-regression: 1");
                assertThat(subscriber.waitFor(20, TimeUnit.SECONDS)).isTrue();

                assertThat(cli(at, "device", "quarantine", "temp-7", "--reason", "odd readings").exitCode()).isZero();
                Files.write(capture, new PcapWriter().frame(Instant.now(), report(104)).toByteArray());
                assertThat(cli(at, "zigbee", "ingest", capture.toString()).out()).contains("1 refused");
                assertThat(Cli.events(at, "acl.denied")).anySatisfy(e -> {
                    assertThat(e.path("device").asText()).isEqualTo("temp-7");
                    assertThat(e.path("details").path("protocol").asText()).isEqualTo("zigbee");
                });

                Path notPcap = dir.resolve("notes.txt");
                Files.writeString(notPcap, "not a capture at all, but long enough for a header");
                Cli.Result refused = cli(at, "zigbee", "ingest", notPcap.toString());
                assertThat(refused.exitCode()).isNotZero();
                assertThat(refused.err()).contains("not a pcap file");
            }
        }
    }

    private static byte[] report(long counter) {
        return ZigbeeFrameWriter.data(SENSOR, 0, (int) counter & 0xff, (int) counter & 0xff, counter,
                HEX.parseHex(NETWORK_KEY), 0, SecurityLevel.ENC_MIC_32, TEMPERATURE, ZCL);
    }

    private static byte[] transportKeyUnderDefaultKey() {
        byte[] command = new Writer().u8(0x05).u8(0x01).bytes(HEX.parseHex(NETWORK_KEY)).u8(0).u64(SENSOR.ieee())
                .u64(COORDINATOR.ieee()).toByteArray();
        return ZigbeeFrameWriter.apsCommand(COORDINATOR, SENSOR.shortAddress(), 1, 1, 1, 4,
                WellKnownKeys.DEFAULT_TC_LINK_KEY, SecurityLevel.ENC_MIC_32, command);
    }

    private static void send(DatagramSocket sniffer, int port, byte[] frame) throws Exception {
        byte[] datagram = ZepDecoder.encode(11, 1, 0, frame);
        sniffer.send(new DatagramPacket(datagram, datagram.length, new InetSocketAddress("127.0.0.1", port)));
        Thread.sleep(50);
    }

    /** {@code mosquitto_sub} printing topic and payload in hex, for {@code count} messages. */
    private static Process subscribe(OwnMosquitto broker, int count) throws Exception {
        Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()),
                "-t", "devices/#", "-C", Integer.toString(count), "-W", "20", "-F", "%t %x").redirectErrorStream(true)
                .start();
        Thread.sleep(300);
        return sub;
    }

    private static List<JsonNode> findings(String[] at) {
        return Cli.events(at, "radio.finding");
    }

    private static Cli.Result cli(String[] at, String... command) {
        return Cli.runAt(at, command);
    }
}
