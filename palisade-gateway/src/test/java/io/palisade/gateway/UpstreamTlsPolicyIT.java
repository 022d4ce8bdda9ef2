package io.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.testing.PeerPorts;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.Pem;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the gateway offers an {@code mqtts://} upstream, seen by {@code openssl s_server} standing in for
 * the broker: TLS 1.2+ only, ECDHE key exchange and AEAD suites only; a server that insists on CBC or on
 * TLS 1.1 gets no connection.
 */
class UpstreamTlsPolicyIT {

    @TempDir
    Path dir;

    @Test
    void the_gateway_offers_its_upstream_only_ecdhe_with_aead() throws Exception {
        String shared = handshakeWith("-tls1_2", "-cipher", "ALL:@SECLEVEL=0");
        List<String> offered = Arrays.asList(shared.substring(shared.indexOf(':') + 1).trim().split(":"));
        // TLS 1.3 suites (TLS_...) are all AEAD with ephemeral key exchange; TLS 1.2 ones must be ECDHE + AEAD.
        List<String> tls12 = offered.stream().filter(suite -> !suite.startsWith("TLS_")).toList();
        assertThat(tls12).as("TLS 1.2 suites the gateway offered").isNotEmpty()
                .allSatisfy(suite -> {
                    assertThat(suite).startsWith("ECDHE-");
                    assertThat(suite).containsAnyOf("-GCM-", "CHACHA20-POLY1305");
                });
    }

    @Test
    void an_upstream_that_only_speaks_cbc_or_tls_1_1_gets_no_connection() throws Exception {
        assertThat(serverOutput("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA")).doesNotContain("CIPHER is");
        assertThat(serverOutput("-tls1_1", "-cipher", "ALL:@SECLEVEL=0")).doesNotContain("CIPHER is");
    }

    private String handshakeWith(String... serverOptions) throws Exception {
        String output = serverOutput(serverOptions);
        return output.lines().filter(line -> line.startsWith("Shared ciphers:")).findFirst()
                .orElseThrow(() -> new AssertionError("no handshake reached openssl s_server:\n" + output));
    }

    /** Starts openssl s_server as the upstream, lets a device connect through the gateway, returns what s_server printed. */
    private String serverOutput(String... serverOptions) throws Exception {
        int port = PeerPorts.free();
        int upstreamPort = port;
        Path run = Files.createDirectories(dir.resolve("run-" + System.nanoTime()));
        try (GatewayFixture fixture = new GatewayFixture(run, GatewayLimits.defaults(), ca ->
                UpstreamAddress.parse("mqtts://localhost:" + upstreamPort).withTrustAnchors(ca.chain()))) {
            KeyPair keys = KeyPairs.newP256();
            X509Certificate certificate = fixture.ca.issueServer(keys.getPublic(), List.of("localhost"),
                    Duration.ofDays(1));
            Pem.writeCertificates(run.resolve("broker.crt"), List.of(certificate, fixture.ca.issuing()));
            Pem.writePrivateKey(run.resolve("broker.key"), keys.getPrivate());
            List<String> command = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port,
                    "-naccept", "2", "-cert", run.resolve("broker.crt").toString(), "-key",
                    run.resolve("broker.key").toString()));
            command.addAll(List.of(serverOptions));
            // Two accepts: the readiness probe, then the gateway. stdin stays open (a pipe): s_server stops at its end.
            Path log = run.resolve("s_server.log");
            Process server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                waitForListener(port);
                Path device = fixture.enroll("tls-probe");
                try (SSLSocket socket = (SSLSocket) fixture.socketFactory(device).createSocket("localhost",
                        fixture.port())) {
                    socket.setSoTimeout(5_000);
                    OutputStream out = socket.getOutputStream();
                    out.write(DisconnectIT.bytes(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1)
                            .clientId("tls-probe").cleanSession(true).keepAlive(30).build()));
                    out.flush();
                    try {
                        socket.getInputStream().read(); // CONNACK 0x03 or a close: s_server is no broker
                    } catch (java.io.IOException ignored) {
                        // the gateway gave up on the upstream
                    }
                }
                Thread.sleep(500);
            } finally {
                server.destroy();
                server.waitFor(5, TimeUnit.SECONDS);
            }
            return Files.readString(log, StandardCharsets.UTF_8);
        }
    }

    private static void waitForListener(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("openssl s_server did not listen on " + port);
    }
}
