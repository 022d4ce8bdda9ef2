package io.palisade.bench;

import io.palisade.control.service.Events;
import io.palisade.control.siem.EventFormat;
import io.palisade.control.siem.EventFormatter;
import io.palisade.control.siem.NewDestination;
import io.palisade.control.siem.Origin;
import io.palisade.control.siem.SiemService;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.store.Database;
import io.palisade.store.SqlEventStore;
import io.palisade.store.SqlSiemStore;
import io.palisade.store.StoreUrl;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Events per second from Palisade's event store to a real rsyslog over TLS (RFC 5425), beside rsyslog's own
 * ingest of the same records sent by {@code openssl s_client} (the peer: the same receiver, the same TLS, the
 * same bytes, with nothing of Palisade's work in front). Each run counts from the first record sent to the last
 * line rsyslog wrote; rsyslog's CPU is reported beside each figure, as a ratio means something only while the
 * receiver is not the bottleneck of both.
 */
final class SiemBench {

    private SiemBench() {
    }

    static void run(int events, int repeats) throws Exception {
        Path dir = Files.createTempDirectory("palisade-siem-bench");
        System.out.println("SIEM export: " + events + " events, RFC 5424 over TLS to rsyslog (imtcp, gtls, omfile)");
        try (Rsyslog rsyslog = Rsyslog.start(dir)) {
            Database database = Database.open(StoreUrl.sqlite(dir.resolve("events.db")));
            try {
                SqlEventStore store = new SqlEventStore(database);
                List<SecurityEvent> batch = new ArrayList<>();
                for (int i = 0; i < events; i++) {
                    batch.add(SecurityEvent.of(Instant.now(), EventType.values()[i % EventType.values().length],
                            Severity.MEDIUM, DeviceId.of("dev-" + (i % 1000)), "10.0." + (i % 250) + ".1",
                            "event " + i + " of the benchmark").withDetails(Map.of("topic", "devices/dev-" + (i % 1000)
                            + "/telemetry", "rule", "default-deny")));
                    if (batch.size() == 1000) {
                        store.appendAll(batch);
                        batch.clear();
                    }
                }
                store.appendAll(batch);
                byte[] framed = framed(store, events);
                for (int i = 1; i <= repeats; i++) {
                    int run = i;
                    Result peer = rsyslog.measure(events, () -> sendWithOpenssl(rsyslog, framed, dir));
                    Result palisade = rsyslog.measure(events, () -> deliverWithPalisade(database, store, rsyslog, dir, run));
                    System.out.printf("  run %d: Palisade %,.0f events/s (Palisade %.0f%%, rsyslog %.0f%% CPU)  |  openssl"
                                    + " s_client -> rsyslog %,.0f events/s (rsyslog %.0f%% CPU)  |  ratio %.2fx%n", run,
                            events / palisade.seconds(), palisade.senderCpu() * 100, palisade.receiverCpu() * 100,
                            events / peer.seconds(), peer.receiverCpu() * 100, peer.seconds() / palisade.seconds());
                }
            } finally {
                database.close();
            }
        }
        System.out.println();
    }

    /** The records Palisade sends, octet-framed, for the peer to send as they are. */
    private static byte[] framed(SqlEventStore store, int events) throws IOException {
        EventFormatter format = EventFormat.RFC5424.syslogFormatter(new Origin("bench", "bench"));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long after = 0;
        for (List<SecurityEvent> page = store.query(new EventQuery(after, 1000, Optional.empty(), Optional.empty()));
             !page.isEmpty(); page = store.query(new EventQuery(after, 1000, Optional.empty(), Optional.empty()))) {
            for (SecurityEvent event : page) {
                byte[] record = format.format(event).getBytes(StandardCharsets.UTF_8);
                out.write((record.length + " ").getBytes(StandardCharsets.US_ASCII));
                out.write(record);
                after = event.id();
            }
        }
        return out.toByteArray();
    }

    private static void sendWithOpenssl(Rsyslog rsyslog, byte[] framed, Path dir) throws Exception {
        Path input = dir.resolve("framed.bin");
        Files.write(input, framed);
        // -quiet implies -ign_eof, which also keeps s_client from reading a chunk that starts with 'K', 'R' or 'Q'
        // as a command (key update, renegotiate, quit); it is stopped once rsyslog has written every record.
        Process client = new ProcessBuilder("openssl", "s_client", "-quiet", "-connect",
                "127.0.0.1:" + rsyslog.port, "-CAfile", dir.resolve("cert.pem").toString(), "-servername", "localhost")
                .redirectInput(input.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("s_client.out").toFile())
                .start();
        rsyslog.awaitLines();
        client.destroy();
        client.waitFor(10, TimeUnit.SECONDS);
    }

    private static void deliverWithPalisade(Database database, SqlEventStore store, Rsyslog rsyslog, Path dir, int run)
            throws Exception {
        SqlSiemStore destinations = new SqlSiemStore(database);
        SiemService siem = new SiemService(destinations, store, dir.resolve("siem"), new Origin("bench", "bench"),
                new Events(event -> { }, Clock.systemUTC()), Clock.systemUTC(), SiemService.SETTLE);
        try {
            siem.add(new NewDestination("bench-" + run, "syslog+tls://localhost:" + rsyslog.port, "rfc5424",
                    Optional.empty(), List.of(), Optional.of(Files.readString(dir.resolve("cert.pem"))), Optional.empty(),
                    Optional.empty(), true), "bench");
            rsyslog.awaitLines();
        } finally {
            siem.close();
        }
    }

    /** Seconds from the first record sent to the last written; rsyslog's and this JVM's CPU share meanwhile. */
    record Result(double seconds, double receiverCpu, double senderCpu) {
    }

    /** rsyslog receiving RFC 5425 on a free loopback port, writing one line per record. */
    private static final class Rsyslog implements AutoCloseable {
        final int port;
        private final Process process;
        private final Path log;
        private long expected;
        private long counted;
        private long lineCount;

        private Rsyslog(int port, Process process, Path log) {
            this.port = port;
            this.process = process;
            this.log = log;
        }

        static Rsyslog start(Path dir) throws Exception {
            Process cert = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", dir.resolve("key.pem").toString(), "-out",
                    dir.resolve("cert.pem").toString(), "-subj", "/CN=syslog", "-addext", "subjectAltName=DNS:localhost",
                    "-days", "1").redirectErrorStream(true).start();
            cert.getInputStream().readAllBytes();
            if (cert.waitFor() != 0) {
                throw new IllegalStateException("openssl could not make the receiver's certificate");
            }
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            String d = dir.toString();
            Files.writeString(dir.resolve("rsyslog.conf"), String.join("\n",
                    "global(workDirectory=\"" + d + "\" DefaultNetstreamDriver=\"gtls\" DefaultNetstreamDriverCAFile=\""
                            + d + "/cert.pem\" DefaultNetstreamDriverCertFile=\"" + d + "/cert.pem\""
                            + " DefaultNetstreamDriverKeyFile=\"" + d + "/key.pem\")",
                    "module(load=\"imtcp\" StreamDriver.Name=\"gtls\" StreamDriver.Mode=\"1\" StreamDriver.AuthMode=\"anon\")",
                    "input(type=\"imtcp\" port=\"" + port + "\" address=\"127.0.0.1\")",
                    "template(name=\"line\" type=\"string\" string=\"%msgid% %msg%\\n\")",
                    "action(type=\"omfile\" file=\"" + d + "/received.log\" template=\"line\")", ""));
            Process process = new ProcessBuilder("rsyslogd", "-n", "-f", d + "/rsyslog.conf", "-i", d + "/rsyslog.pid")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("rsyslog.out").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    break;
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("rsyslog did not start: " + Files.readString(dir.resolve("rsyslog.out")));
                    }
                    Thread.sleep(50);
                }
            }
            return new Rsyslog(port, process, dir.resolve("received.log"));
        }

        interface Send {
            void run() throws Exception;
        }

        /** Times {@code send} until rsyslog has written {@code events} more lines; its CPU share meanwhile. */
        Result measure(int events, Send send) throws Exception {
            expected = lines() + events;
            long cpuBefore = cpuTicks();
            long ownBefore = ownCpuNanos();
            long start = System.nanoTime();
            send.run();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (cpuTicks() - cpuBefore) / 100.0 / seconds;
            return new Result(seconds, cpu, (ownCpuNanos() - ownBefore) / 1e9 / seconds);
        }

        void awaitLines() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (lines() < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("rsyslog wrote " + lines() + " of " + expected + " lines");
                }
                Thread.sleep(20);
            }
        }

        /** Lines written so far, reading only what was added since the last call (the bench must not eat the CPU). */
        private long lines() throws IOException {
            if (!Files.exists(log)) {
                return 0;
            }
            try (var channel = java.nio.channels.FileChannel.open(log)) {
                channel.position(counted);
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(1 << 16);
                for (int n = channel.read(buffer); n > 0; n = channel.read(buffer)) {
                    for (int i = 0; i < n; i++) {
                        if (buffer.get(i) == '\n') {
                            lineCount++;
                        }
                    }
                    counted += n;
                    buffer.clear();
                }
            }
            return lineCount;
        }

        private static long ownCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }

        /** rsyslog's user + system CPU in clock ticks (100 per second here). */
        private long cpuTicks() throws IOException {
            return CpuTicks.of(process.pid());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
