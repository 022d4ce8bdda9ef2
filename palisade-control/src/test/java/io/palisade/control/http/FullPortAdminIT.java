package io.palisade.control.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.control.service.Events;
import io.palisade.core.event.SecurityEvent;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.Pem;
import io.palisade.pki.ca.CertificateAuthority;
import io.palisade.pki.ca.DeviceCertificateProfile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote administrator gets through an HTTPS port that a flood of idle connections from many addresses
 * holds full: the connection that has owed a request longest makes room for a new one, and a client that
 * sends its request at once is answered. Run with a port of 40 connections so that the flood is cheap; the
 * administrator is curl from an address that is neither loopback nor one of the flood's.
 */
class FullPortAdminIT {

    private static final int PORT_CAPACITY = 40;

    @TempDir
    Path dir;

    @Test
    void a_remote_admin_is_answered_while_idle_connections_from_many_addresses_hold_the_port_full() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test", KeyPairs.newP256(), KeyPairs.newP256(),
                Clock.systemUTC()).authority(DeviceCertificateProfile.defaults(), Clock.systemUTC());
        var serverKeys = KeyPairs.newP256();
        List<java.security.cert.X509Certificate> chain = new ArrayList<>(List.of(ca.issueServer(serverKeys.getPublic(),
                List.of("localhost", "127.0.0.1"), Duration.ofDays(1))));
        chain.addAll(ca.chain());
        Path caFile = dir.resolve("ca.pem");
        Pem.writeCertificates(caFile, ca.chain());
        Router router = new Router().add("GET", "/api/v1/ping", (call, p) -> HttpReply.text(200, "pong"),
                HttpReply::jsonError);
        ConcurrentLinkedQueue<SecurityEvent> events = new ConcurrentLinkedQueue<>();
        try (HttpsServer server = HttpsServer.start(new InetSocketAddress("127.0.0.1", 0),
                ServerTls.forHttps(serverKeys.getPrivate(), chain, ca.chain()), router,
                new Events(events::add, Clock.systemUTC()), PORT_CAPACITY)) {
            List<Socket> flood = new ArrayList<>();
            AtomicBoolean flooding = new AtomicBoolean(true);
            Thread attacker = new Thread(() -> {
                // Idle TCP connections from 127.0.5.1-50, as many as the port takes and more, all the time.
                for (int i = 0; flooding.get(); i++) {
                    try {
                        Socket socket = new Socket();
                        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.5." + (1 + i % 50)), 0));
                        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 1_000);
                        synchronized (flood) {
                            flood.add(socket);
                        }
                        Thread.sleep(5);
                    } catch (IOException | InterruptedException e) {
                        // a refused or reset attempt is part of the flood
                    }
                }
            });
            attacker.start();
            try {
                Thread.sleep(1_000);
                // Full but for the one or two a new flood connection is displacing at this instant.
                assertThat(openOf(flood)).as("the flood holds the port full").isGreaterThanOrEqualTo(PORT_CAPACITY - 2);
                int answered = 0;
                for (int i = 0; i < 5; i++) {
                    Processes.Result curl = Processes.run(List.of("curl", "-s", "--max-time", "10", "--interface",
                            "127.0.6.1", "--cacert", caFile.toString(), "-o", "/dev/null", "-w", "%{http_code}",
                            "https://localhost:" + server.port() + "/api/v1/ping"));
                    if (curl.output().equals("200")) {
                        answered++;
                    }
                }
                System.out.printf("remote admin under a full-port flood: %d of 5 requests answered; %d flood"
                        + " connections made%n", answered, flood.size());
                assertThat(answered).as("requests of the remote administrator answered").isEqualTo(5);
            } finally {
                flooding.set(false);
                attacker.join(5_000);
                synchronized (flood) {
                    for (Socket socket : flood) {
                        socket.close();
                    }
                }
            }
            assertThat(events).anyMatch(e -> e.message().contains("that owed a request"));
        }
    }

    /** Flood connections the server still holds open (a closed one reads end-of-stream at once). */
    private static int openOf(List<Socket> flood) throws IOException {
        int open = 0;
        synchronized (flood) {
            for (Socket socket : flood) {
                socket.setSoTimeout(2);
                try {
                    if (socket.getInputStream().read() >= 0) {
                        open++;
                    }
                } catch (java.net.SocketTimeoutException stillOpen) {
                    open++;
                } catch (IOException closed) {
                    // closed by the server
                }
            }
        }
        return open;
    }

    /** Runs an independent client program and captures its output. */
    private static final class Processes {
        record Result(int exitCode, String output) {
        }

        static Result run(List<String> command) throws Exception {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        }
    }
}
