package io.palisade.control.service;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceConnections;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.device.DeviceState;
import io.palisade.core.device.IssuedCertificate;
import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventStore;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.policy.Action;
import io.palisade.core.policy.PolicyBook;
import io.palisade.core.policy.PolicyScope;
import io.palisade.core.policy.TopicFilters;
import io.palisade.core.policy.TopicPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Checks of the fleet's configuration and standing, in the manner of AWS IoT Device Defender's audit, run on a
 * schedule and on demand ({@code palisade audit run}). Each finding becomes an {@code audit.finding} event; a
 * scheduled run records only findings the previous run did not have, so a standing problem is reported once
 * and again only after it was fixed and came back.
 *
 * <ul>
 *   <li>{@code certificate-expiring}: an enrolled device's newest valid certificate expires within a quarter of
 *       the certificate lifetime (its agent should have renewed by then);</li>
 *   <li>{@code revoked-but-connected}: a revoked device, or one without a valid certificate, still has a session;</li>
 *   <li>{@code never-enrolled}: registered longer than {@link #NEVER_ENROLLED_AFTER} and never enrolled;</li>
 *   <li>{@code many-addresses}: one device identity connected from more than {@link #MAX_ADDRESSES} addresses in
 *       the last day (a copied key in use in several places);</li>
 *   <li>{@code policy-reaches-other-devices}: a profile or segment policy lets its devices publish or subscribe
 *       in another device's tree ({@code devices/OTHER/...}, {@code quarantine/OTHER/...});</li>
 *   <li>{@code detection-disabled}: the instance runs without detection;</li>
 *   <li>{@code siem-failing}: a SIEM destination is failing.</li>
 * </ul>
 */
public final class AuditChecks {

    public static final Duration NEVER_ENROLLED_AFTER = Duration.ofDays(7);
    public static final int MAX_ADDRESSES = 5;
    private static final int RECENT_CONNECTIONS = 10_000;
    private static final String PROBE = "audit-probe-self";
    private static final String OTHER = "audit-probe-other";

    /** One finding: which check, about what, how serious, in one sentence. */
    public record Finding(String check, String subject, Severity severity, Optional<DeviceId> device, String message) {
    }

    /** A SIEM destination's standing, as the checks need it. */
    public record SiemState(String name, boolean failing, String lastError) {
    }

    private final DeviceRegistry registry;
    private final Supplier<DeviceConnections> connections;
    private final PolicyBook policies;
    private final EventStore events;
    private final Events emitter;
    private final boolean detectionOn;
    private final Supplier<List<SiemState>> siem;
    private final Duration certificateLifetime;
    private final Clock clock;
    private Set<String> previous = Set.of();
    private List<Finding> latest = List.of();

    public AuditChecks(DeviceRegistry registry, Supplier<DeviceConnections> connections, PolicyBook policies,
                       EventStore events, Events emitter, boolean detectionOn, Supplier<List<SiemState>> siem,
                       Duration certificateLifetime, Clock clock) {
        this.registry = registry;
        this.connections = connections;
        this.policies = policies;
        this.events = events;
        this.emitter = emitter;
        this.detectionOn = detectionOn;
        this.siem = siem;
        this.certificateLifetime = certificateLifetime;
        this.clock = clock;
    }

    /** Runs every check on demand: every finding is recorded as an event. */
    public synchronized List<Finding> runNow(String actor) {
        List<Finding> findings = check();
        findings.forEach(finding -> record(finding, actor));
        remember(findings);
        return findings;
    }

    /** Runs every check on the schedule: only findings the previous run did not have are recorded. */
    public synchronized void runScheduled() {
        try {
            List<Finding> findings = check();
            findings.stream().filter(f -> !previous.contains(key(f))).forEach(f -> record(f, "audit schedule"));
            remember(findings);
        } catch (RuntimeException e) {
            System.getLogger(AuditChecks.class.getName()).log(System.Logger.Level.ERROR,
                    "audit checks failed: " + e.getMessage() + "; the next run retries");
        }
    }

    /** The findings of the latest run (empty before the first). */
    public synchronized List<Finding> latest() {
        return latest;
    }

    private void remember(List<Finding> findings) {
        Set<String> keys = new HashSet<>();
        findings.forEach(f -> keys.add(key(f)));
        previous = keys;
        latest = List.copyOf(findings);
    }

    private static String key(Finding finding) {
        return finding.check() + "|" + finding.subject();
    }

    private void record(Finding finding, String actor) {
        SecurityEvent event = SecurityEvent.of(clock.instant(), EventType.AUDIT_FINDING, finding.severity(),
                finding.device().orElse(null), actor, finding.message())
                .withDetails(Map.of("check", finding.check(), "subject", finding.subject()));
        emitter.emit(event);
    }

    List<Finding> check() {
        Instant now = clock.instant();
        List<Finding> findings = new ArrayList<>();
        DeviceConnections live = connections.get();
        for (Device device : registry.list()) {
            checkDevice(device, live, now, findings);
        }
        checkAddresses(now, findings);
        checkPolicies(findings);
        if (!detectionOn) {
            findings.add(new Finding("detection-disabled", "detection", Severity.MEDIUM, Optional.empty(),
                    "detection is off (--no-detection): no anomaly is detected and nothing is quarantined automatically"));
        }
        for (SiemState destination : siem.get()) {
            if (destination.failing()) {
                findings.add(new Finding("siem-failing", destination.name(), Severity.HIGH, Optional.empty(),
                        "SIEM destination " + destination.name() + " is failing (" + destination.lastError()
                                + "): events wait in its backlog"));
            }
        }
        return findings;
    }

    private void checkDevice(Device device, DeviceConnections live, Instant now, List<Finding> findings) {
        String id = device.id().value();
        boolean connected = live.connection(device.id()).map(DeviceConnections.Connection::connected).orElse(false);
        if (device.state() == DeviceState.REGISTERED) {
            if (device.createdAt().plus(NEVER_ENROLLED_AFTER).isBefore(now)) {
                findings.add(new Finding("never-enrolled", id, Severity.LOW, Optional.of(device.id()), "device " + id
                        + " was registered " + Duration.between(device.createdAt(), now).toDays()
                        + " days ago and has never enrolled"));
            }
            return;
        }
        Optional<IssuedCertificate> newest = registry.certificatesOf(device.id()).stream()
                .filter(c -> !c.isRevoked() && c.notAfter().isAfter(now))
                .max(Comparator.comparing(IssuedCertificate::notAfter));
        if (connected && (device.state() == DeviceState.REVOKED || newest.isEmpty())) {
            findings.add(new Finding("revoked-but-connected", id, Severity.HIGH, Optional.of(device.id()), "device "
                    + id + " is connected although " + (device.state() == DeviceState.REVOKED ? "it is revoked"
                    : "it has no valid certificate")));
        }
        Duration warning = certificateLifetime.dividedBy(4);
        if (device.state() == DeviceState.ENROLLED && newest.isPresent()
                && newest.get().notAfter().isBefore(now.plus(warning))) {
            findings.add(new Finding("certificate-expiring", id, Severity.MEDIUM, Optional.of(device.id()),
                    "the newest certificate of device " + id + " (serial " + newest.get().serial() + ") expires at "
                            + newest.get().notAfter() + ", within a quarter of its lifetime, and it has not renewed"));
        }
    }

    private void checkAddresses(Instant now, List<Finding> findings) {
        Map<String, Set<String>> addresses = new LinkedHashMap<>();
        Instant since = now.minus(Duration.ofDays(1));
        for (SecurityEvent event : events.newest(EventType.AUTH_SUCCEEDED, RECENT_CONNECTIONS)) {
            if (event.time().isBefore(since) || event.device().isEmpty()) {
                continue;
            }
            String address = event.source();
            int port = address.lastIndexOf(':');
            String host = port > 0 && address.indexOf(':') == port ? address.substring(0, port) : address;
            addresses.computeIfAbsent(event.device().get().value(), k -> new HashSet<>()).add(host);
        }
        addresses.forEach((device, seen) -> {
            if (seen.size() > MAX_ADDRESSES) {
                findings.add(new Finding("many-addresses", device, Severity.MEDIUM, Optional.of(DeviceId.of(device)),
                        "device " + device + " connected from " + seen.size() + " addresses in the last day: is its key"
                                + " in use in more than one place?"));
            }
        });
    }

    private void checkPolicies(List<Finding> findings) {
        for (Map.Entry<PolicyScope, TopicPolicy> entry : policies.all().entrySet()) {
            PolicyScope scope = entry.getKey();
            String segment = scope.kind() == PolicyScope.Kind.SEGMENT ? scope.name() : "audit-probe-segment";
            for (Action action : Action.values()) {
                for (String allow : entry.getValue().allow(action)) {
                    String filter = allow.replace("{id}", PROBE).replace("{segment}", segment);
                    if (TopicFilters.intersects(filter, "devices/" + OTHER + "/#")
                            || TopicFilters.intersects(filter, "quarantine/" + OTHER + "/#")) {
                        findings.add(new Finding("policy-reaches-other-devices", scope + " " + action.wireName() + " "
                                + allow, Severity.MEDIUM, Optional.empty(), "the " + scope + " policy lets its devices "
                                + action.wireName() + " on '" + allow + "', which reaches other devices' trees"));
                    }
                }
            }
        }
    }

    /** For tests: the findings without recording them. */
    Map<String, List<Finding>> byCheck() {
        Map<String, List<Finding>> grouped = new HashMap<>();
        check().forEach(f -> grouped.computeIfAbsent(f.check(), k -> new ArrayList<>()).add(f));
        return grouped;
    }
}
