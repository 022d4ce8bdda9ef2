package io.palisade.legacy.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.modbus.ModbusFirewall;
import io.palisade.core.modbus.ModbusRule;
import io.palisade.core.testing.Mbpoll;
import io.palisade.core.testing.ModbusPlc;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Modbus/TCP firewall between real peers: Debian's {@code mbpoll} as the master, pymodbus 3.0 as the PLC. Allowed
 * reads and writes pass unchanged; a read outside the allowed range, a write of a value out of bounds, a function not
 * allowed, a malformed request and broken framing are each refused with the right exception (or closed) and recorded
 * with the client, unit, function, range and rule; other clients carry on; a rule change applies to connected
 * clients' next request.
 */
class ModbusProxyIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private ModbusPlc plc;
    private int plcPort;
    private ModbusProxy proxy;
    private final ModbusFirewall firewall = new ModbusFirewall(System::nanoTime);
    private final List<SecurityEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        plc = ModbusPlc.start(dir);
        plcPort = plc.port();
        firewall.replaceRules(List.of(ModbusRule.fromJson("hmi", JSON.readTree("{\"sources\": [\"127.0.0.1\"],"
                + " \"units\": \"1\", \"functions\": [3, 6, 16], \"ranges\": {\"holding-registers\": \"0-99\"},"
                + " \"write_values\": \"0-1000\"}"))));
        proxy = ModbusProxy.start(new InetSocketAddress("127.0.0.1", 0), PlcRoutes.single(
                new InetSocketAddress("127.0.0.1", plcPort)), firewall, events::add, RefusalMode.EXCEPTION,
                new BlockedAddresses(events::add, Clock.systemUTC()), Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        plc.close();
    }

    @Test
    void allowed_reads_and_writes_pass_and_the_rest_is_refused_with_the_right_exception() throws Exception {
        assertThat(mbpoll(proxy.port(), "-r", "5", "-c", "3", "-1")).contains("[5]: \t5", "[6]: \t6", "[7]: \t7");
        assertThat(mbpoll(proxy.port(), "-r", "10", "123", "456")).contains("Written 2 references");
        assertThat(mbpoll(plcPort, "-r", "10", "-c", "2", "-1")).as("the PLC, directly").contains("[10]: \t123",
                "[11]: \t456");

        assertThat(mbpoll(proxy.port(), "-r", "95", "-c", "10", "-1")).contains("Illegal data address");
        assertThat(mbpoll(proxy.port(), "-r", "20", "5000")).as("function 6").contains("Illegal data value");
        assertThat(mbpoll(plcPort, "-r", "20", "-c", "1", "-1")).as("unchanged").contains("[20]: \t20");
        assertThat(mbpoll(proxy.port(), "-t", "0", "-r", "0", "-c", "8", "-1")).as("coils: function 1")
                .contains("Illegal function");
        assertThat(mbpoll(proxy.port(), "-a", "2", "-r", "0", "-c", "1", "-1")).as("unit 2").contains("Illegal data address");

        List<SecurityEvent> refused = events.stream().filter(e -> e.type() == EventType.ACL_DENIED).toList();
        assertThat(refused).hasSize(4);
        assertThat(refused.get(0).details()).containsEntry("protocol", "modbus").containsEntry("client", "127.0.0.1")
                .containsEntry("unit", "1").containsEntry("function", "3")
                .containsEntry("access", "read holding-registers 95-104").containsEntry("rule", "hmi")
                .containsEntry("action", "read");
        assertThat(refused.get(0).source()).isEqualTo("127.0.0.1");
        assertThat(refused.get(1).details()).containsEntry("action", "write")
                .containsEntry("reason", "write holding-registers 20: value 5000 is outside the allowed 0-1000");
    }

    @Test
    void malformed_requests_get_an_exception_broken_framing_closes_and_other_clients_carry_on() throws Exception {
        try (Socket bad = connect(); Socket good = connect()) {
            // read 126 holding registers: one over the limit of 125
            assertThat(exchange(bad, frame(1, 1, 0x03, 0x00, 0x00, 0x00, 0x7E))).containsExactly(
                    0, 1, 0, 0, 0, 3, 1, 0x83, 0x03);
            // an unknown function code
            assertThat(exchange(bad, frame(2, 1, 0x5A, 0x01))).containsExactly(0, 2, 0, 0, 0, 3, 1, 0xDA, 0x01);
            // a write whose byte count disagrees with its quantity
            assertThat(exchange(bad, frame(3, 1, 0x10, 0x00, 0x00, 0x00, 0x02, 0x03, 0x00, 0x01, 0x00)))
                    .containsExactly(0, 3, 0, 0, 0, 3, 1, 0x90, 0x03);
            // allowed, on the good connection meanwhile
            assertThat(exchange(good, frame(4, 1, 0x03, 0x00, 0x05, 0x00, 0x01))).containsExactly(
                    0, 4, 0, 0, 0, 5, 1, 0x03, 0x02, 0x00, 0x05);
            // protocol id 7: the stream has lost its framing
            bad.getOutputStream().write(new byte[] {0, 5, 0, 7, 0, 6, 1, 3, 0, 0, 0, 1});
            assertThat(bad.getInputStream().read()).as("closed").isEqualTo(-1);
            assertThat(exchange(good, frame(5, 1, 0x03, 0x00, 0x06, 0x00, 0x01))).endsWith(0x00, 0x06);
        }
        List<SecurityEvent> violations = events.stream().filter(e -> e.type() == EventType.PROTOCOL_VIOLATION).toList();
        assertThat(violations).extracting(e -> e.details().get("reason")).containsExactly(
                "function 3 asks for 126 items (1-125)", "function 90 is not one Palisade inspects",
                "function 16: 2 items, a byte count of 3 and 3 bytes of values do not agree",
                "MBAP protocol id 7 (Modbus is 0)");
    }

    @Test
    void a_rule_change_applies_to_a_connected_clients_next_request() throws Exception {
        try (Socket client = connect()) {
            byte[] write = frame(1, 1, 0x10, 0x00, 0x01, 0x00, 0x01, 0x02, 0x00, 0x2A);
            assertThat(exchange(client, write)).containsExactly(0, 1, 0, 0, 0, 6, 1, 0x10, 0x00, 0x01, 0x00, 0x01);
            firewall.replaceRules(List.of(ModbusRule.fromJson("hmi", JSON.readTree("{\"sources\": [\"127.0.0.1\"],"
                    + " \"units\": \"1\", \"functions\": [3, 16], \"ranges\": {\"holding-registers\": \"0-99\"},"
                    + " \"read_only\": true}"))));
            assertThat(exchange(client, frame(2, 1, 0x10, 0x00, 0x01, 0x00, 0x01, 0x02, 0x00, 0x2B)))
                    .containsExactly(0, 2, 0, 0, 0, 3, 1, 0x90, 0x01);
            firewall.replaceRules(List.of());
            assertThat(exchange(client, frame(3, 1, 0x03, 0x00, 0x01, 0x00, 0x01))).as("deny by default")
                    .containsExactly(0, 3, 0, 0, 0, 3, 1, 0x83, 0x01);
        }
        assertThat(events).extracting(e -> e.details().get("rule")).containsExactly("hmi", "default-deny");
    }

    @Test
    void in_drop_mode_a_refused_request_gets_no_answer() throws Exception {
        proxy.close();
        proxy = ModbusProxy.start(new InetSocketAddress("127.0.0.1", 0), PlcRoutes.single(
                new InetSocketAddress("127.0.0.1", plcPort)), firewall, events::add, RefusalMode.DROP,
                new BlockedAddresses(events::add, Clock.systemUTC()), Clock.systemUTC());
        try (Socket client = connect()) {
            client.setSoTimeout(1500);
            client.getOutputStream().write(frame(1, 1, 0x03, 0x01, 0x00, 0x00, 0x01)); // register 256: outside
            try {
                int read = client.getInputStream().read();
                assertThat(read).as("no answer and no close").isEqualTo(Integer.MIN_VALUE);
            } catch (SocketTimeoutException expected) {
                // nothing came back
            }
            assertThat(exchange(client, frame(2, 1, 0x03, 0x00, 0x05, 0x00, 0x01))).endsWith(0x00, 0x05);
        }
        assertThat(events).singleElement().satisfies(e -> assertThat(e.details()).containsEntry("rule", "hmi"));
    }

    @Test
    void units_are_routed_to_their_plcs_and_a_unit_without_one_or_an_unreachable_plc_gets_a_gateway_exception()
            throws Exception {
        try (ModbusPlc second = ModbusPlc.start(Files.createDirectories(dir.resolve("second")))) {
            int closedPort = io.palisade.core.testing.PeerPorts.free();
            proxy.close();
            proxy = ModbusProxy.start(new InetSocketAddress("127.0.0.1", 0), PlcRoutes.parse(List.of(
                    "1=127.0.0.1:" + plcPort, "2=127.0.0.1:" + second.port(), "4=127.0.0.1:" + closedPort)),
                    firewall, events::add, RefusalMode.EXCEPTION, new BlockedAddresses(events::add, Clock.systemUTC()),
                    Clock.systemUTC());
            firewall.replaceRules(List.of(ModbusRule.fromJson("all", JSON.readTree("{\"units\": \"1-4\","
                    + " \"functions\": [3, 6], \"ranges\": {\"holding-registers\": \"0-99\"}}"))));
            try (Socket client = connect()) {
                // unit 2's write goes to the second PLC only, on the same client connection as unit 1's
                assertThat(exchange(client, frame(1, 2, 0x06, 0x00, 0x03, 0x01, 0x00))).endsWith(0x06, 0x00, 0x03, 0x01, 0x00);
                assertThat(exchange(client, frame(2, 1, 0x03, 0x00, 0x03, 0x00, 0x01))).as("the first PLC")
                        .endsWith(0x02, 0x00, 0x03);
                assertThat(Mbpoll.run(second.port(), "-a", "2", "-r", "3", "-c", "1", "-1")).contains("[3]: \t256");
                assertThat(exchange(client, frame(3, 3, 0x03, 0x00, 0x00, 0x00, 0x01))).as("no PLC for unit 3")
                        .containsExactly(0, 3, 0, 0, 0, 3, 3, 0x83, 0x0A);
                assertThat(exchange(client, frame(4, 4, 0x03, 0x00, 0x00, 0x00, 0x01))).as("unit 4's PLC is down")
                        .containsExactly(0, 4, 0, 0, 0, 3, 4, 0x83, 0x0B);
                assertThat(exchange(client, frame(5, 1, 0x03, 0x00, 0x04, 0x00, 0x01))).as("and the rest carries on")
                        .endsWith(0x02, 0x00, 0x04);
            }
        }
        assertThat(events).extracting(e -> e.details().get("rule")).containsExactly("no-route");
    }

    @Test
    void one_address_gets_at_most_its_share_of_connections() throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < ModbusProxy.MAX_CONNECTIONS_PER_ADDRESS; i++) {
                open.add(connect());
                Thread.sleep(1000 / ModbusProxy.ATTEMPTS_PER_SECOND_PER_ADDRESS + 5); // within the attempt rate
            }
            assertThat(exchange(open.get(0), frame(1, 1, 0x03, 0x00, 0x05, 0x00, 0x01))).endsWith(0x00, 0x05);
            try (Socket oneTooMany = connect()) {
                assertThat(oneTooMany.getInputStream().read()).as("closed at once").isEqualTo(-1);
            }
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
    }

    @Test
    void an_address_detection_found_misbehaving_is_cut_off_and_refused_for_a_while() throws Exception {
        BlockedAddresses blocked = new BlockedAddresses(events::add, Clock.systemUTC());
        proxy.close();
        proxy = ModbusProxy.start(new InetSocketAddress("127.0.0.1", 0), PlcRoutes.single(
                new InetSocketAddress("127.0.0.1", plcPort)), firewall, events::add, RefusalMode.EXCEPTION, blocked,
                Clock.systemUTC());
        try (Socket client = connect()) {
            assertThat(exchange(client, frame(1, 1, 0x03, 0x00, 0x05, 0x00, 0x01))).endsWith(0x00, 0x05);
            java.time.Instant now = java.time.Instant.now();
            blocked.emit(SecurityEvent.of(now, EventType.ANOMALY_DETECTED, io.palisade.core.event.Severity.MEDIUM, null,
                    "127.0.0.1", "a medium finding"));
            blocked.emit(SecurityEvent.of(now, EventType.ANOMALY_DETECTED, io.palisade.core.event.Severity.HIGH,
                    io.palisade.core.device.DeviceId.of("dev-1"), "127.0.0.1", "about a device: quarantined instead"));
            assertThat(blocked.blocked("127.0.0.1")).isFalse();
            assertThat(exchange(client, frame(2, 1, 0x03, 0x00, 0x05, 0x00, 0x01))).endsWith(0x00, 0x05);

            blocked.emit(SecurityEvent.of(now, EventType.ANOMALY_DETECTED, io.palisade.core.event.Severity.HIGH, null,
                    "127.0.0.1", "topic-probing: many refusals").withDetails(java.util.Map.of("rule", "topic-probing")));
            assertThat(blocked.blocked("127.0.0.1")).isTrue();
            assertThat(client.getInputStream().read()).as("the open connection is cut").isEqualTo(-1);
        }
        try (Socket again = connect()) {
            assertThat(again.getInputStream().read()).as("a new one is closed at once").isEqualTo(-1);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> !events.isEmpty());
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.ACL_DENIED);
            assertThat(e.source()).isEqualTo("127.0.0.1");
            assertThat(e.details()).containsEntry("action", "block").containsEntry("rule", "topic-probing");
        });
    }

    private Socket connect() throws Exception {
        Socket socket = new Socket("127.0.0.1", proxy.port());
        socket.setSoTimeout(5000);
        return socket;
    }

    /** An MBAP frame: transaction, protocol 0, length, unit, then the PDU. */
    private static byte[] frame(int transaction, int unit, int... pdu) {
        byte[] frame = new byte[7 + pdu.length];
        frame[0] = (byte) (transaction >> 8);
        frame[1] = (byte) transaction;
        frame[4] = (byte) ((pdu.length + 1) >> 8);
        frame[5] = (byte) (pdu.length + 1);
        frame[6] = (byte) unit;
        for (int i = 0; i < pdu.length; i++) {
            frame[7 + i] = (byte) pdu[i];
        }
        return frame;
    }

    /** Sends a frame and reads one whole response frame, as unsigned bytes. */
    private static List<Integer> exchange(Socket socket, byte[] request) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(request);
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] header = new byte[6];
        in.readFully(header);
        byte[] rest = new byte[((header[4] & 0xFF) << 8) | (header[5] & 0xFF)];
        in.readFully(rest);
        List<Integer> bytes = new ArrayList<>();
        for (byte b : header) {
            bytes.add(b & 0xFF);
        }
        for (byte b : rest) {
            bytes.add(b & 0xFF);
        }
        return bytes;
    }

    private static String mbpoll(int port, String... args) throws Exception {
        return Mbpoll.run(port, args);
    }
}
