package io.palisade.agent.tamper;

import io.palisade.core.AtomicFiles;
import io.palisade.core.device.DeviceId;
import io.palisade.core.tamper.TamperReport;
import io.palisade.pki.tamper.SignedTamperReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Numbers, signs and delivers tamper signals. Each signed report is first written to {@code pending/}
 * (the gateway may be unreachable: a tamperer may well have pulled the cable), and deleted once the gateway
 * acknowledged it; {@link #flush} retries what is pending, oldest first. A sensor that bounces is held to
 * one report per second, the suppressed count going into its next report.
 */
public final class TamperReporter {

    /** Delivers one envelope; true once the gateway acknowledged it. */
    @FunctionalInterface
    public interface Sender {
        boolean send(byte[] envelope);
    }

    private static final System.Logger LOG = System.getLogger(TamperReporter.class.getName());
    private static final Duration PER_SENSOR = Duration.ofSeconds(1);

    private final DeviceId device;
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final TamperCounter counter;
    private final Path pending;
    private final Clock clock;
    private final Sender sender;
    private final Map<String, Instant> lastReported = new HashMap<>();
    private final Map<String, Integer> suppressed = new HashMap<>();

    public TamperReporter(Path dir, DeviceId device, PrivateKey key, X509Certificate certificate, Clock clock,
                          Sender sender) {
        this.device = device;
        this.key = key;
        this.certificate = certificate;
        this.counter = new TamperCounter(dir.resolve("counter"));
        this.pending = dir.resolve("pending");
        this.clock = clock;
        this.sender = sender;
    }

    /** Reports {@code signal}; answers the report, or null when it was held back as a bounce. */
    public synchronized TamperReport report(TamperSignal signal) throws IOException {
        String sensor = signal.sensor().wireName() + " " + signal.name();
        Instant now = clock.instant();
        Instant last = lastReported.get(sensor);
        if (last != null && now.isBefore(last.plus(PER_SENSOR))) {
            suppressed.merge(sensor, 1, Integer::sum);
            return null;
        }
        lastReported.put(sensor, now);
        Integer held = suppressed.remove(sensor);
        String detail = held == null ? signal.detail() : signal.detail() + " (+" + held + " more within a second)";
        TamperReport report = new TamperReport(device, counter.next(), now, signal.sensor(),
                cut(signal.name(), TamperReport.MAX_NAME), cut(detail, TamperReport.MAX_DETAIL));
        LOG.log(System.Logger.Level.WARNING, "TAMPER: " + signal.sensor().wireName() + " " + report.name() + ": "
                + report.detail() + " (report " + report.counter() + ")");
        AtomicFiles.write(pendingFile(report.counter()), SignedTamperReport.seal(report, key, certificate), true);
        flush();
        return report;
    }

    /** Sends what is pending, oldest first, until one fails; answers how many are still pending. */
    public synchronized int flush() throws IOException {
        List<Path> files = pendingFiles();
        int left = files.size();
        for (Path file : files) {
            if (!sender.send(Files.readAllBytes(file))) {
                return left;
            }
            Files.delete(file);
            left--;
        }
        return left;
    }

    private List<Path> pendingFiles() throws IOException {
        if (!Files.isDirectory(pending)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(pending)) {
            return files.filter(f -> f.getFileName().toString().matches("[0-9]{20}\\.json"))
                    .sorted().toList();
        }
    }

    private Path pendingFile(long number) {
        return pending.resolve(String.format("%020d.json", number));
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
