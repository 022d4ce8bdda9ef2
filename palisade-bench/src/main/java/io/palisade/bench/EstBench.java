package io.palisade.bench;

import io.palisade.control.ControlPlane;
import io.palisade.control.ControlPlaneConfig;
import io.palisade.control.DataDirectory;
import io.palisade.core.device.DeviceId;
import io.palisade.core.secret.SecretBytes;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.Pem;
import io.palisade.pki.TlsContexts;
import io.palisade.pki.est.EstClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * EST enrollments per second end to end: each device makes its key, opens a new TLS connection, and
 * enrolls with its one-time token; the server checks the token, verifies the CSR, signs, and commits
 * token use, certificate and event to SQLite. Printed beside the CA's bare signing rate, so the
 * ratio shows what the protocol, TLS and durable storage cost on top of the signature.
 */
final class EstBench {

    private EstBench() {
    }

    static void run(int devices, int clients) throws Exception {
        Path dir = Files.createTempDirectory("palisade-bench-est");
        try {
            ControlPlaneConfig config = ControlPlaneConfig.defaults(dir).withPort(0).withBindAddress("127.0.0.1")
                    .withFailureLimits(1_000_000, 1_000_000);
            try (ControlPlane plane = ControlPlane.start(config, Clock.systemUTC())) {
                List<String[]> registered = new ArrayList<>();
                for (int i = 0; i < devices; i++) {
                    var registration = plane.devices().add("bench-" + i, "default", "default", Duration.ofHours(1));
                    registered.add(new String[]{"bench-" + i, new String(registration.token().copy())});
                }
                List<X509Certificate> anchors = Pem.readCertificates(new DataDirectory(dir).rootCaFile());
                URI server = URI.create("https://localhost:" + plane.httpsPort());
                AtomicInteger next = new AtomicInteger();
                ExecutorService pool = Executors.newFixedThreadPool(clients);
                long start = System.nanoTime();
                List<Future<Integer>> results = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    results.add(pool.submit(() -> {
                        int done = 0;
                        int i;
                        while ((i = next.getAndIncrement()) < registered.size()) {
                            // A new client per device: a new TLS handshake, as a real device makes.
                            EstClient est = new EstClient(server, TlsContexts.client(anchors, Optional.empty()));
                            String[] device = registered.get(i);
                            try (SecretBytes token = SecretBytes.wrap(device[1].getBytes())) {
                                est.enroll(DeviceId.of(device[0]), token, KeyPairs.newP256());
                            }
                            done++;
                        }
                        return done;
                    }));
                }
                int enrolled = 0;
                for (Future<Integer> result : results) {
                    enrolled += result.get();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                pool.shutdown();
                double endToEnd = enrolled / seconds;
                double bareSigning = Measure.opsPerSecond(1, 2,
                        () -> plane.ca().issueDevice(DeviceId.of("x"), KeyPairs.newP256().getPublic()));
                System.out.println("== EST enrollment, end to end over HTTPS (" + enrolled + " devices, " + clients
                        + " concurrent clients) ==");
                System.out.printf("%-44s %10.1f /s%n", "enrollments (TLS + EST + CSR check + SQLite)", endToEnd);
                System.out.printf("%-44s %10.1f /s%n", "bare certificate issuance (key + sign)", bareSigning);
                System.out.printf("%-44s %10.2fx%n", "end-to-end / bare issuance", endToEnd / bareSigning);
                System.out.println();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
