package io.palisade.bench;

import io.palisade.core.policy.PolicyBook;
import io.palisade.gateway.DeviceTls;
import io.palisade.gateway.GatewayLimits;
import io.palisade.gateway.MqttGateway;
import io.palisade.gateway.UpstreamAddress;
import io.palisade.store.Database;
import io.palisade.store.SqlDeviceRegistry;
import io.palisade.store.StoreUrl;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Full mutual-TLS handshakes per second (P-256, no session resumption): Palisade's device port
 * (handshake plus the registry check of the client certificate) against {@code openssl s_server}
 * with the same certificates, both driven by {@code openssl s_time -new} as the client.
 */
final class HandshakeBench {

    private static final Pattern RATE = Pattern.compile("([\\d.]+) connections/user sec");
    private static final Pattern COUNT = Pattern.compile("(\\d+) connections in ([\\d.]+)s");

    private HandshakeBench() {
    }

    static void run(int seconds) throws Exception {
        Path dir = Files.createTempDirectory("palisade-bench-tls");
        BenchPki pki = new BenchPki(dir);
        try (Database database = Database.open(StoreUrl.sqlite(dir.resolve("bench.db")))) {
            SqlDeviceRegistry registry = new SqlDeviceRegistry(database);
            Path device = pki.enroll("tls-bench", registry);
            GatewayLimits limits = GatewayLimits.defaults().withConnectionLimits(1_000_000, 100_000, 100_000);
            double palisade;
            try (MqttGateway gateway = MqttGateway.start(new InetSocketAddress("127.0.0.1", 0),
                    DeviceTls.serverContext(pki.serverKeys.getPrivate(), pki.serverChain(), pki.ca.chain()),
                    UpstreamAddress.parse("mqtt://127.0.0.1:1"), limits, new PolicyBook(), registry, e -> { },
                    Clock.systemUTC())) {
                sTime(gateway.port(), device, pki, 2);
                palisade = sTime(gateway.port(), device, pki, seconds);
            }
            int port = MosquittoPeer.freePort();
            Process server = new ProcessBuilder("openssl", "s_server", "-quiet", "-accept", "127.0.0.1:" + port,
                    "-cert", pki.dir.resolve("server.crt").toString(), "-key", pki.dir.resolve("server.key").toString(),
                    "-CAfile", pki.dir.resolve("ca.pem").toString(), "-Verify", "2").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("s_server.log").toFile()).start();
            double openssl;
            try {
                MosquittoPeer.waitForPort(port);
                sTime(port, device, pki, 2);
                openssl = sTime(port, device, pki, seconds);
            } finally {
                server.destroy();
                server.waitFor(5, TimeUnit.SECONDS);
            }
            System.out.println("== Full mTLS handshakes per second (P-256, new session each, openssl s_time client) ==");
            System.out.printf("%-34s %10.0f /s%n", "Palisade device port", palisade);
            System.out.printf("%-34s %10.0f /s%n", "openssl s_server (peer)", openssl);
            System.out.printf("%-34s %10.2fx%n", "ratio", palisade / openssl);
            System.out.println();
        }
    }

    /** Runs {@code openssl s_time -new} and returns connections per wall-clock second. */
    private static double sTime(int port, Path device, BenchPki pki, int seconds) throws Exception {
        Process client = new ProcessBuilder(List.of("openssl", "s_time", "-connect", "127.0.0.1:" + port, "-new",
                "-time", Integer.toString(seconds), "-cert", device.resolve("cert.pem").toString(), "-key",
                device.resolve("key.pem").toString(), "-CAfile", pki.dir.resolve("ca.pem").toString()))
                .redirectErrorStream(true).start();
        double rate = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Matcher count = COUNT.matcher(line);
                if (count.find()) {
                    rate = Integer.parseInt(count.group(1)) / (double) seconds;
                } else if (rate == 0 && RATE.matcher(line).find()) {
                    Matcher m = RATE.matcher(line);
                    m.find();
                    rate = Double.parseDouble(m.group(1));
                }
            }
        }
        client.waitFor(seconds + 30L, TimeUnit.SECONDS);
        return rate;
    }
}
