package io.palisade.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.control.http.HttpsServer;
import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an attack on a running control plane broke, driven with curl from outside: others' failures must
 * not lock the admin out, admin typos are not protocol abuse, and bad requests get clear answers, not
 * stack traces.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HardeningIT {

    @TempDir
    static Path dir;

    private ControlPlane plane;
    private String base;
    private String adminToken;

    @BeforeAll
    void start() throws Exception {
        // The default failure limits: 10 failures in a burst, then 10 per minute.
        plane = ControlPlane.start(ControlPlaneConfig.defaults(dir.resolve("data")).withPort(0)
                .withBindAddress("127.0.0.1"), Clock.systemUTC());
        base = "https://127.0.0.1:" + plane.httpsPort();
        adminToken = Files.readString(new DataDirectory(dir.resolve("data")).adminTokenFile()).strip();
    }

    @AfterAll
    void stop() {
        plane.close();
    }

    /** curl -sk; returns "STATUS BODY". */
    private static String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sk", "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        int cut = out.lastIndexOf('\n');
        return out.substring(cut + 1) + " " + out.substring(0, Math.max(0, cut));
    }

    @Test
    void a_valid_admin_token_is_never_limited_by_failures_it_did_not_make() throws Exception {
        for (int i = 0; i < 25; i++) {
            curl("-H", "Authorization: Bearer wrong-" + i, base + "/api/v1/devices");
        }
        assertThat(curl("-H", "Authorization: Bearer wrong", base + "/api/v1/devices")).startsWith("429");
        int ok = 0;
        for (int i = 0; i < 10; i++) {
            if (curl("-H", "Authorization: Bearer " + adminToken, base + "/api/v1/devices").startsWith("200")) {
                ok++;
            }
        }
        assertThat(ok).as("valid admin calls from the same address as the failing client").isEqualTo(10);
    }

    @Test
    void an_admin_typo_is_an_admin_event_not_a_protocol_violation() throws Exception {
        long before = count(EventType.PROTOCOL_VIOLATION);
        for (int i = 0; i < 6; i++) {
            String reply = curl("-H", "Authorization: Bearer " + adminToken, "-H", "Content-Type: application/json",
                    "-X", "POST", "--data", "{\"id\": 42", base + "/api/v1/devices");
            assertThat(reply).startsWith("400");
        }
        for (int i = 0; i < 50 && count(EventType.ADMIN_REQUEST_REFUSED) < 6; i++) {
            Thread.sleep(100); // events are written by the store's writer thread
        }
        assertThat(count(EventType.ADMIN_REQUEST_REFUSED)).isGreaterThanOrEqualTo(6);
        assertThat(count(EventType.PROTOCOL_VIOLATION)).isEqualTo(before);
        assertThat(curl("-H", "Authorization: Bearer " + adminToken, base + "/api/v1/devices")).startsWith("200");
    }

    @Test
    void bad_requests_get_clear_answers() throws Exception {
        String auth = "Authorization: Bearer " + adminToken;
        assertThat(curl("-H", auth, base + "/api/v1/events?limit=abc"))
                .startsWith("400").contains("'limit' must be a whole number from 1 to")
                .doesNotContain("NumberFormatException").doesNotContain("For input string");
        assertThat(curl(base + "/tuf/targets/a%00b")).startsWith("404").doesNotContain("Exception");
        assertThat(curl("-H", auth, "-H", "Authorization: Bearer x", base + "/api/v1/devices"))
                .as("two Authorization headers").startsWith("400").contains("more than one authorization header");
        assertThat(curl("-X", "POST", "-u", "dev-1:token", "-H", "Content-Type: application/json", "--data", "{}",
                base + "/.well-known/est/simpleenroll")).startsWith("415").contains("application/pkcs10");
    }

    @Test
    void the_database_files_are_readable_by_their_owner_only() throws Exception {
        Path data = dir.resolve("data");
        for (String name : List.of("palisade.db", "palisade.db-wal", "palisade.db-shm")) {
            Path file = data.resolve(name);
            if (Files.exists(file)) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(name)
                        .isEqualTo("rw-------");
            }
        }
        assertThat(data.resolve("palisade.db")).exists();
    }

    @Test
    void one_address_cannot_hold_more_than_its_share_of_https_connections() throws Exception {
        List<java.net.Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                sockets.add(new java.net.Socket("127.0.0.1", plane.httpsPort()));
            }
            Thread.sleep(500);
            int open = 0;
            for (java.net.Socket socket : sockets) {
                socket.setSoTimeout(5); // all checked well within the 10 s request-head deadline
                try {
                    if (socket.getInputStream().read() >= 0) {
                        open++;
                    }
                } catch (java.net.SocketTimeoutException stillOpen) {
                    open++;
                } catch (java.io.IOException closed) {
                    // refused: closed by the server
                }
            }
            assertThat(open).as("connections the server kept").isEqualTo(HttpsServer.MAX_CONNECTIONS_PER_ADDRESS);
        } finally {
            for (java.net.Socket socket : sockets) {
                socket.close();
            }
        }
        assertThat(plane.events().query(EventQuery.all())).anyMatch(e -> e.type() == EventType.QUOTA_EXCEEDED
                && e.message().contains("already has " + HttpsServer.MAX_CONNECTIONS_PER_ADDRESS
                + " connections to the HTTPS port"));
    }

    @Test
    void a_request_head_trickled_one_line_at_a_time_is_cut_off() throws Exception {
        javax.net.ssl.SSLContext trustAll = javax.net.ssl.SSLContext.getInstance("TLS");
        trustAll.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String type) {
            }

            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String type) {
            }

            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        try (java.net.Socket socket = trustAll.getSocketFactory().createSocket("127.0.0.1", plane.httpsPort())) {
            long start = System.nanoTime();
            java.io.OutputStream out = socket.getOutputStream();
            out.write("GET /api/v1/health HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            boolean closed = false;
            for (int i = 0; i < 10 && !closed; i++) {
                Thread.sleep(2_000);
                try {
                    out.write(("X-Slow-" + i + ": x\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    socket.setSoTimeout(10);
                    closed = socket.getInputStream().read() < 0;
                } catch (java.net.SocketTimeoutException open) {
                    // still open
                } catch (java.io.IOException reset) {
                    closed = true;
                }
            }
            long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertThat(closed).as("closed although a header line came every 2 s").isTrue();
            assertThat(seconds).isLessThan(16);
        }
    }

    private long count(EventType type) {
        return plane.events().query(EventQuery.all()).stream().filter(e -> e.type() == type).count();
    }
}
