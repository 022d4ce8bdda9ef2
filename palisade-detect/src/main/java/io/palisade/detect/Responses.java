package io.palisade.detect;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventSink;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The response half of detection: turns a finding into an {@code anomaly.detected} event and an
 * alert, decides the action ({@link ResponsePolicy}) and carries it out off the caller's thread,
 * keeps quarantines waiting for approval, and applies operator feedback ({@link Tuning}).
 */
final class Responses implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Responses.class.getName());
    static final int MAX_PENDING = 1000;

    private final ResponsePolicy policy;
    private final Responder responder;
    private final EventSink events;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Executor executor;
    private final ExecutorService ownExecutor;
    private final Duration benignSilence;
    private final AlertLog alerts = new AlertLog();
    private final Tuning tuning = new Tuning();
    private final Map<String, PendingResponse> pending = new LinkedHashMap<>();
    private volatile ProposalListener proposals = (proposal, added) -> { };

    /** Told when a quarantine proposal is added or settled (approved or dismissed), e.g. to store it. */
    @FunctionalInterface
    interface ProposalListener {
        void changed(PendingResponse proposal, boolean added);
    }

    void onProposals(ProposalListener listener) {
        this.proposals = listener;
    }

    void restore(PendingResponse proposal) {
        synchronized (pending) {
            pending.put(proposal.id(), proposal);
        }
    }

    Responses(ResponsePolicy policy, Responder responder, EventSink events, Clock clock, LongSupplier nanoTime,
              Executor executor, Duration benignSilence) {
        this.policy = policy;
        this.responder = responder;
        this.events = events;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.benignSilence = benignSilence;
        if (executor == null) {
            this.ownExecutor = Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "palisade-detect-response");
                thread.setDaemon(true);
                return thread;
            });
            this.executor = ownExecutor;
        } else {
            this.ownExecutor = null;
            this.executor = executor;
        }
    }

    boolean admits(Subject subject, Finding finding) {
        return tuning.admits(subject.toString(), finding.rule(), finding.score(), clock.instant());
    }

    ResponseAction byDefault(String rule, Severity severity) {
        return policy.byDefault(rule, severity);
    }

    void respond(Subject subject, Finding finding, long now, String features) {
        ResponseAction action = policy.actionFor(finding);
        if (subject.device().isEmpty() && action.compareTo(ResponseAction.ALERT) > 0) {
            action = ResponseAction.ALERT; // an address has no session or certificate to act on
        }
        String alertId = "al-" + shortId();
        long detectMillis = TimeUnit.NANOSECONDS.toMillis(Math.max(0, now - finding.evidenceStartNanos()));
        Severity severity = action == ResponseAction.RECORD ? Severity.LOW : finding.severity();
        Alert alert = new Alert(alertId, clock.instant(), subject.device().map(DeviceId::value)
                .orElse(subject.toString()), subject.device().isPresent(), finding.rule(), severity, action,
                finding.reason(), features, Optional.empty());
        alerts.add(alert);
        events.emit(SecurityEvent.of(alert.time(), EventType.ANOMALY_DETECTED, severity,
                subject.device().orElse(null), subject.device().isPresent() ? "detector" : subject.address(),
                finding.reason()).withDetail("rule", finding.rule())
                .withDetail("response", action.wireName())
                .withDetail("alert_id", alertId)
                .withDetail("time_to_detect_ms", Long.toString(detectMillis))
                .withDetail("features", features));
        if (subject.device().isEmpty()) {
            return;
        }
        DeviceId device = subject.device().get();
        switch (action) {
            case THROTTLE -> executor.execute(() -> act("throttle", device, () ->
                    responder.throttle(device, "automatic, " + finding.reason())));
            case QUARANTINE -> executor.execute(() -> act("quarantine", device, () ->
                    responder.quarantine(device, "automatic, " + finding.reason() + "; "
                            + millisSince(finding.evidenceStartNanos()) + " ms from first evidence to quarantine")));
            case REVOKE -> executor.execute(() -> act("revocation", device, () ->
                    responder.revoke(device, "automatic, " + finding.reason())));
            case QUARANTINE_WITH_APPROVAL -> executor.execute(() -> propose(device, finding, alertId));
            default -> { }
        }
    }

    /**
     * 13 hex digits (52 random bits) for an alert or proposal id: unique among the ones the detector keeps.
     * Not {@code UUID.randomUUID()}: this runs on the gateway's event loops, and SecureRandom reads
     * {@code /dev/urandom} (a blocking call BlockHound catches there); the ids need no secrecy.
     */
    private static String shortId() {
        return String.format("%013x", java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 12);
    }

    private long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(Math.max(0, nanoTime.getAsLong() - startNanos));
    }

    /** Runs on the response executor: storing the proposal must not happen on an I/O thread. */
    private void propose(DeviceId device, Finding finding, String alertId) {
        PendingResponse proposal;
        synchronized (pending) {
            boolean already = pending.values().stream().anyMatch(p -> p.device().equals(device.value()));
            if (already) {
                return;
            }
            if (pending.size() >= MAX_PENDING) {
                LOG.log(System.Logger.Level.WARNING, "quarantine of " + device + " not proposed: " + MAX_PENDING
                        + " proposals already wait for approval");
                return;
            }
            String id = "pr-" + shortId();
            proposal = new PendingResponse(id, clock.instant(), device.value(), finding.rule(), finding.reason(),
                    alertId);
            pending.put(id, proposal);
        }
        try {
            proposals.changed(proposal, true);
        } catch (RuntimeException e) {
            // The proposal stands in memory; a listener's failure must not end the response thread's task silently.
            LOG.log(System.Logger.Level.WARNING, "quarantine proposal " + proposal.id() + " for " + device
                    + " was not recorded: " + e.getMessage());
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    private void act(String what, DeviceId device, Action action) {
        try {
            action.run();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "automatic " + what + " of " + device + " failed: " + e.getMessage());
        }
    }

    /** Puts an alert raised before a restart back into the list (oldest first, so the newest stay). */
    void restore(Alert alert) {
        alerts.add(alert);
    }

    List<Alert> alerts(int limit) {
        return alerts.newest(limit);
    }

    Optional<Alert> alert(String id) {
        return alerts.find(id);
    }

    Optional<String> feedback(String alertId, AlertVerdict verdict) {
        Optional<Alert> found = alerts.find(alertId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Alert alert = found.get();
        alerts.replace(alert.withVerdict(verdict));
        return Optional.of(applyVerdict(alert.subject(), alert.rule(), verdict));
    }

    /** Applies a verdict on a finding of {@code rule} about {@code subject}; returns what changed. */
    String applyVerdict(String subject, String rule, AlertVerdict verdict) {
        return switch (verdict) {
            case TRUE_POSITIVE -> "recorded as a true positive; nothing changes";
            case FALSE_POSITIVE -> {
                TuningEntry entry = tuning.falsePositive(subject, rule);
                yield String.format(Locale.ROOT, "rule %s now needs %.0f times its limit for %s", rule,
                        entry.factor(), subject);
            }
            case BENIGN -> {
                TuningEntry entry = tuning.benign(subject, rule, clock.instant(), benignSilence);
                yield "rule " + rule + " is silent for " + subject + " until " + entry.silentUntil().orElseThrow();
            }
        };
    }

    List<TuningEntry> tuning() {
        return tuning.entries();
    }

    void restoreTuning(TuningEntry entry) {
        tuning.restore(entry);
    }

    List<PendingResponse> pending() {
        synchronized (pending) {
            return new ArrayList<>(pending.values());
        }
    }

    Optional<String> approve(String id) {
        PendingResponse proposal;
        synchronized (pending) {
            proposal = pending.remove(id);
        }
        if (proposal == null) {
            return Optional.empty();
        }
        proposals.changed(proposal, false);
        try {
            responder.quarantine(io.palisade.core.device.DeviceId.of(proposal.device()),
                    "approved by an operator, " + proposal.reason());
            return Optional.of("device " + proposal.device() + " quarantined");
        } catch (Exception e) {
            throw new IllegalStateException("quarantine of " + proposal.device() + " failed: " + e.getMessage(), e);
        }
    }

    Optional<String> dismiss(String id) {
        synchronized (pending) {
            PendingResponse proposal = pending.remove(id);
            if (proposal != null) {
                proposals.changed(proposal, false);
            }
            return Optional.ofNullable(proposal).map(p -> "quarantine of " + p.device() + " dismissed");
        }
    }

    @Override
    public void close() {
        if (ownExecutor != null) {
            ownExecutor.shutdown();
            try {
                ownExecutor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
