package io.palisade.detect;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventSink;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the gateway's security events and publish observations into per-subject behaviour, evaluates
 * the rules after each observation, and applies the response policy: every finding is an
 * {@code anomaly.detected} event naming the rule, the features that drove it and when the evidence
 * started; a high-severity finding about a device quarantines it (when automatic quarantine is on),
 * off the caller's thread, with the time from first evidence to quarantine in the reason.
 *
 * <p>Observation is cheap and safe from any thread (gateway I/O threads call it per packet): a map
 * lookup, a few arithmetic updates under the subject's lock, and a handful of comparisons.
 */
public final class Detector implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Detector.class.getName());
    /** Device ids in topics of the standard tree, to tell attempts on other devices' topics. */
    private static final Pattern DEVICE_TOPIC = Pattern.compile("devices/([A-Za-z0-9._-]{1,64})/");

    private final DetectionConfig config;
    private final List<Rule> rules = Rules.builtIn();
    private final Responder responder;
    private final EventSink events;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Map<Subject, DeviceBehaviour> subjects;
    private final Map<String, Long> lastFired = new HashMap<>();
    private final ExecutorService responses = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "palisade-detect-response");
        thread.setDaemon(true);
        return thread;
    });

    public Detector(DetectionConfig config, Responder responder, EventSink events, Clock clock, LongSupplier nanoTime) {
        this.config = config;
        this.responder = responder;
        this.events = events;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.subjects = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Subject, DeviceBehaviour> eldest) {
                return size() > config.maxSubjects();
            }
        };
    }

    /** Feeds a security event (any thread). Anomaly events themselves are ignored. */
    public void onEvent(SecurityEvent event) {
        if (event.type() == EventType.ANOMALY_DETECTED) {
            return;
        }
        Subject subject = event.device().map(Subject::of).orElseGet(() -> Subject.ofAddress(event.source()));
        if (subject.device().isEmpty() && subject.address().isEmpty()) {
            return;
        }
        long now = nanoTime.getAsLong();
        DeviceBehaviour behaviour = behaviour(subject, now);
        Optional<Finding> newNetwork = Optional.empty();
        synchronized (behaviour) {
            behaviour.lastSeenNanos = now;
            switch (event.type()) {
                case AUTH_FAILED -> behaviour.authFailures.add(1, now);
                case ACL_DENIED -> {
                    behaviour.aclDenied.add(1, now);
                    if (event.device().isPresent() && namesAnotherDevice(event.message(), event.device().get())) {
                        behaviour.crossDeviceDenied.add(1, now);
                    }
                }
                case QUOTA_EXCEEDED -> behaviour.quotaHits.add(1, now);
                case PROTOCOL_VIOLATION -> behaviour.violations.add(1, now);
                case AUTH_SUCCEEDED -> {
                    boolean hadNetworks = behaviour.knowsNetworks();
                    if (behaviour.connectedFrom(network(event.source()), now) && hadNetworks && !learning(behaviour, now)) {
                        newNetwork = Optional.of(new Finding("new-network", Severity.MEDIUM, "new-network: "
                                + subject + " connected from " + event.source() + ", a network it has not used before",
                                behaviour.features(now), now));
                    }
                }
                default -> {
                    return;
                }
            }
        }
        newNetwork.ifPresent(finding -> respond(subject, finding, now));
        evaluate(subject, behaviour, now);
    }

    /** Feeds one allowed PUBLISH from a device (gateway I/O thread). */
    public void onPublish(DeviceId device, String topic, int payloadBytes) {
        long now = nanoTime.getAsLong();
        Subject subject = Subject.of(device);
        DeviceBehaviour behaviour = behaviour(subject, now);
        synchronized (behaviour) {
            behaviour.lastSeenNanos = now;
            behaviour.published(topic, payloadBytes, now);
        }
        evaluate(subject, behaviour, now);
    }

    public int trackedSubjects() {
        synchronized (subjects) {
            return subjects.size();
        }
    }

    /** The features of a device now, for the API and tests. */
    public Optional<Map<String, Double>> features(DeviceId device) {
        DeviceBehaviour behaviour;
        synchronized (subjects) {
            behaviour = subjects.get(Subject.of(device));
        }
        if (behaviour == null) {
            return Optional.empty();
        }
        synchronized (behaviour) {
            return Optional.of(behaviour.features(nanoTime.getAsLong()));
        }
    }

    private DeviceBehaviour behaviour(Subject subject, long now) {
        synchronized (subjects) {
            return subjects.computeIfAbsent(subject, s -> new DeviceBehaviour(now));
        }
    }

    private boolean learning(DeviceBehaviour behaviour, long now) {
        return now - behaviour.firstSeenNanos < config.learningPeriod().toNanos();
    }

    private void evaluate(Subject subject, DeviceBehaviour behaviour, long now) {
        // One lock for all rules (this runs per packet); responses happen outside it.
        List<Finding> findings = new java.util.ArrayList<>(0);
        synchronized (behaviour) {
            boolean learning = learning(behaviour, now);
            for (Rule rule : rules) {
                rule.evaluate(subject, behaviour, now, learning).ifPresent(findings::add);
            }
        }
        findings.forEach(f -> respond(subject, f, now));
    }

    private void respond(Subject subject, Finding finding, long now) {
        String key = subject + "\n" + finding.rule();
        synchronized (lastFired) {
            Long last = lastFired.get(key);
            if (last != null && now - last < config.cooldown().toNanos()) {
                return;
            }
            lastFired.put(key, now);
            if (lastFired.size() > config.maxSubjects() * 4) {
                lastFired.clear(); // bounded: an attacker inventing subjects must not grow this without end
            }
        }
        long detectMillis = TimeUnit.NANOSECONDS.toMillis(Math.max(0, now - finding.evidenceStartNanos()));
        SecurityEvent event = SecurityEvent.of(clock.instant(), EventType.ANOMALY_DETECTED, finding.severity(),
                subject.device().orElse(null), subject.device().isPresent() ? "detector" : subject.address(),
                finding.reason()).withDetail("rule", finding.rule())
                .withDetail("time_to_detect_ms", Long.toString(detectMillis))
                .withDetail("features", format(finding.features()));
        events.emit(event);
        if (finding.severity().compareTo(Severity.HIGH) >= 0 && subject.device().isPresent() && config.autoQuarantine()) {
            DeviceId device = subject.device().get();
            responses.execute(() -> quarantine(device, finding));
        }
    }

    private void quarantine(DeviceId device, Finding finding) {
        long millis = TimeUnit.NANOSECONDS.toMillis(Math.max(0, nanoTime.getAsLong() - finding.evidenceStartNanos()));
        try {
            responder.quarantine(device, "automatic, " + finding.reason() + "; " + millis
                    + " ms from first evidence to quarantine");
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "automatic quarantine of " + device + " failed: " + e.getMessage());
        }
    }

    private static boolean namesAnotherDevice(String message, DeviceId self) {
        Matcher matcher = DEVICE_TOPIC.matcher(message);
        while (matcher.find()) {
            if (!matcher.group(1).equals(self.value())) {
                return true;
            }
        }
        return false;
    }

    /** The network of an address: the /24 of IPv4, the /64 of IPv6 (devices move within a subnet). */
    static String network(String address) {
        if (address == null || address.isEmpty()) {
            return "";
        }
        String host = address.startsWith("[") ? address.substring(1, Math.max(1, address.indexOf(']')))
                : address.contains(":") && address.indexOf(':') == address.lastIndexOf(':')
                ? address.substring(0, address.indexOf(':')) : address;
        if (host.contains(".")) {
            int last = host.lastIndexOf('.');
            return host.substring(0, last) + ".0/24";
        }
        String[] groups = host.split(":");
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < Math.min(4, groups.length); i++) {
            prefix.append(groups[i]).append(':');
        }
        return prefix + ":/64";
    }

    private static String format(Map<String, Double> features) {
        StringBuilder out = new StringBuilder();
        features.forEach((name, value) -> {
            if (value > 0.005) {
                out.append(out.length() == 0 ? "" : ", ").append(name).append('=')
                        .append(String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value));
            }
        });
        return out.toString();
    }

    @Override
    public void close() {
        responses.shutdown();
        try {
            responses.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
