package io.palisade.control.service;

import io.palisade.core.detection.DetectionStore;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventStore;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.detect.Alert;
import io.palisade.detect.AlertVerdict;
import io.palisade.detect.Detector;
import io.palisade.detect.OperatorRule;
import io.palisade.detect.PendingResponse;
import io.palisade.detect.ResponseAction;
import io.palisade.detect.TuningEntry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Detection as operators manage it: operator rules (validated, stored, applied at once), alerts and
 * feedback on them (the adjustment is stored, so it survives a restart), quarantines waiting for
 * approval, and a device's current features. Loads stored rules and adjustments into the detector at
 * start.
 */
public final class DetectionService {

    private static final System.Logger LOG = System.getLogger(DetectionService.class.getName());

    private final Detector detector;
    /** Where operator rule changes are recorded, with the rule before and after. */
    private final Events changes;
    private final DetectionResponder responder;
    private final DetectionStore store;
    private final ProposalKeeper proposals;
    private final EventStore events;
    private final Clock clock;
    /** Announces a change of rules or adjustments to other instances (nothing when there are none). */
    private volatile Runnable changedHere = () -> { };

    public DetectionService(Detector detector, DetectionResponder responder, DetectionStore store, EventStore events,
                            Events changes, Clock clock) {
        this.changes = changes;
        this.detector = detector;
        this.responder = responder;
        this.store = store;
        this.proposals = new ProposalKeeper(store);
        this.events = events;
        this.clock = clock;
    }

    /**
     * Applies what was stored (rules, adjustments, proposals waiting for approval); a stored rule that no
     * longer parses is skipped with a warning, not fatal.
     */
    public void load() {
        applyStoredTuning();
        for (DetectionStore.Proposal proposal : store.proposals()) {
            detector.restorePending(new PendingResponse(proposal.id(), proposal.created(), proposal.device(),
                    proposal.rule(), proposal.reason(), proposal.alertId()));
        }
        restoreAlerts();
        // Proposals are stored as they come and go, so that a restart does not forget one awaiting approval.
        detector.onProposals((proposal, added) -> proposals.changed(proposal.id(), added
                ? Optional.of(new DetectionStore.Proposal(proposal.id(), proposal.created(), proposal.device(),
                        proposal.rule(), proposal.reason(), proposal.alertId()))
                : Optional.empty()));
    }

    /**
     * Writes the proposal changes the store could not take during an outage (run periodically); returns how
     * many are still owed.
     */
    public int retryProposalWrites() {
        return proposals.retry();
    }

    /**
     * The alerts of before the restart, from their {@code anomaly.detected} events, so that {@code detect alerts}
     * lists them again (their verdicts, if any were given, live on as the adjustments loaded above).
     */
    private void restoreAlerts() {
        List<SecurityEvent> newestFirst = events.newest(EventType.ANOMALY_DETECTED, Detector.ALERTS_REMEMBERED);
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            alertOf(newestFirst.get(i)).ifPresent(detector::restoreAlert);
        }
    }

    /** The alert an {@code anomaly.detected} event records; empty for an event that names no alert. */
    static Optional<Alert> alertOf(SecurityEvent event) {
        String id = event.details().get("alert_id");
        if (id == null) {
            return Optional.empty();
        }
        ResponseAction action;
        try {
            action = ResponseAction.parse(event.details().getOrDefault("response", "record"));
        } catch (IllegalArgumentException unknown) {
            action = ResponseAction.RECORD;
        }
        boolean device = event.device().isPresent();
        return Optional.of(new Alert(id, event.time(), device ? event.device().get().value() : "address " + event.source(),
                device, event.details().getOrDefault("rule", ""), event.severity(), action, event.message(),
                event.details().getOrDefault("features", ""), Optional.empty()));
    }

    /** Several instances: {@code announce} runs after this instance changed a rule or an adjustment. */
    public void publishChangesTo(Runnable announce) {
        this.changedHere = announce;
    }

    /** The responder that carries out detection's responses (throttles are shared through it). */
    public DetectionResponder responder() {
        return responder;
    }

    /** Another instance changed rules or adjustments: the detector takes what the store holds now. */
    public void reloadFromStore() {
        Map<String, String> stored = store.rules();
        for (OperatorRule rule : detector.operatorRules()) {
            if (!stored.containsKey(rule.name())) {
                detector.removeRule(rule.name());
            }
        }
        applyStoredTuning();
        LOG.log(System.Logger.Level.INFO, "detection rules and adjustments reloaded after another instance changed them");
    }

    /** Operator rules and feedback adjustments as stored; a stored rule that no longer parses is skipped. */
    private void applyStoredTuning() {
        for (Map.Entry<String, String> stored : store.rules().entrySet()) {
            try {
                detector.putRule(OperatorRule.fromJson(stored.getValue()));
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "stored detection rule " + stored.getKey() + " skipped: "
                        + e.getMessage());
            }
        }
        for (DetectionStore.Adjustment adjustment : store.adjustments()) {
            detector.restoreTuning(new TuningEntry(adjustment.subject(), adjustment.rule(), adjustment.factor(),
                    adjustment.silentUntil()));
        }
    }

    public Detector detector() {
        return detector;
    }

    /**
     * Writes what detection has learned to {@code file} (0600, replaced atomically), so that a restart resumes
     * instead of reopening the learning period. Taken periodically and at shutdown; a failure is logged and the
     * previous checkpoint stays.
     */
    public void checkpointTo(java.nio.file.Path file) {
        long started = System.nanoTime();
        try {
            byte[] checkpoint = detector.checkpoint();
            io.palisade.core.AtomicFiles.write(file, checkpoint, true);
            LOG.log(System.Logger.Level.DEBUG, "detection checkpoint written to " + file + ": " + checkpoint.length
                    + " bytes in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        } catch (java.io.IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not write the detection checkpoint " + file + ": " + e.getMessage()
                    + "; the previous one stays");
        }
    }

    /**
     * Resumes from a checkpoint, when there is one. One that cannot be read is moved aside (to
     * {@code FILE.unreadable}) with a warning naming why, and detection learns afresh.
     */
    public void restoreFrom(java.nio.file.Path file) {
        if (!java.nio.file.Files.exists(file)) {
            return;
        }
        try {
            int[] restored = detector.restore(java.nio.file.Files.readAllBytes(file));
            LOG.log(System.Logger.Level.INFO, "detection resumed from " + file + ": " + restored[0] + " devices, "
                    + restored[1] + " cohort models");
        } catch (java.io.IOException | RuntimeException e) {
            java.nio.file.Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
            LOG.log(System.Logger.Level.WARNING, "detection checkpoint " + file + " not restored (" + e.getMessage()
                    + "); moved to " + aside + ", learning starts afresh");
            try {
                java.nio.file.Files.move(file, aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (java.io.IOException moveFailed) {
                LOG.log(System.Logger.Level.WARNING, "could not move " + file + " aside: " + moveFailed.getMessage());
            }
        }
    }

    /** Lets the detector throttle devices on this process's gateway. */
    public void throttleWith(DetectionResponder.Throttle throttle) {
        responder.throttleWith(throttle);
    }

    public List<Detector.BuiltInRule> builtInRules() {
        return detector.builtInRules();
    }

    public List<OperatorRule> operatorRules() {
        return detector.operatorRules();
    }

    public OperatorRule putRule(OperatorRule rule, String actor) throws Refusal {
        String before = describeRule(rule.name());
        try {
            detector.putRule(rule);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.CONFLICT, e.getMessage());
        }
        store.saveRule(rule.name(), rule.toJson().toString(), clock.instant());
        LOG.log(System.Logger.Level.INFO, actor + " set detection rule " + rule.name() + ": " + rule.toJson());
        changes.change(actor, "detection-rule", rule.name(), before, rule.toJson().toString());
        changedHere.run();
        return rule;
    }

    public void removeRule(String name, String actor) throws Refusal {
        String before = describeRule(name);
        boolean removed = detector.removeRule(name);
        boolean stored = store.deleteRule(name);
        if (!removed && !stored) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "there is no operator rule '" + name + "'");
        }
        LOG.log(System.Logger.Level.INFO, actor + " removed detection rule " + name);
        changes.change(actor, "detection-rule", name, before, "none");
        changedHere.run();
    }

    private String describeRule(String name) {
        return detector.operatorRules().stream().filter(r -> r.name().equals(name)).findFirst()
                .map(r -> r.toJson().toString()).orElse("none");
    }

    public List<Alert> alerts(int limit) {
        return detector.alerts(limit);
    }

    /**
     * Applies and stores an operator's verdict; returns what changed. The alert may be one the detector
     * still remembers or any {@code anomaly.detected} event in the store (alerts from before a restart).
     */
    public String feedback(String alertId, AlertVerdict verdict, String actor) throws Refusal {
        String subject;
        String rule;
        Optional<Alert> recent = detector.alert(alertId);
        String effect;
        if (recent.isPresent()) {
            subject = recent.get().subject();
            rule = recent.get().rule();
            effect = detector.feedback(alertId, verdict).orElseThrow();
        } else {
            SecurityEvent stored = storedAlert(alertId).orElseThrow(() -> new Refusal(Refusal.Kind.NOT_FOUND,
                    "there is no alert " + alertId));
            subject = stored.device().map(DeviceId::value).orElse("address " + stored.source());
            rule = stored.details().getOrDefault("rule", "");
            effect = detector.feedback(subject, rule, verdict);
        }
        detector.tuning().stream()
                .filter(t -> t.subject().equals(subject) && t.rule().equals(rule))
                .findFirst()
                .ifPresent(t -> store.saveAdjustment(new DetectionStore.Adjustment(t.subject(), t.rule(), t.factor(),
                        t.silentUntil()), clock.instant()));
        changedHere.run();
        LOG.log(System.Logger.Level.INFO, actor + " marked alert " + alertId + " " + verdict.wireName() + ": " + effect);
        return effect;
    }

    /** The stored {@code anomaly.detected} event of an alert, searched page by page. */
    private Optional<SecurityEvent> storedAlert(String alertId) {
        long after = 0;
        while (true) {
            List<SecurityEvent> page = events.query(new EventQuery(after, EventQuery.MAX_LIMIT,
                    Optional.of(EventType.ANOMALY_DETECTED), Optional.empty()));
            for (SecurityEvent event : page) {
                if (alertId.equals(event.details().get("alert_id"))) {
                    return Optional.of(event);
                }
            }
            if (page.size() < EventQuery.MAX_LIMIT) {
                return Optional.empty();
            }
            after = page.get(page.size() - 1).id();
        }
    }

    public List<TuningEntry> tuning() {
        return detector.tuning();
    }

    public List<PendingResponse> pending() {
        return detector.pending();
    }

    public String approve(String id, String actor) throws Refusal {
        String outcome = detector.approve(id).orElseThrow(() -> new Refusal(Refusal.Kind.NOT_FOUND,
                "there is no quarantine waiting for approval with id " + id));
        LOG.log(System.Logger.Level.INFO, actor + " approved " + id + ": " + outcome);
        return outcome;
    }

    public String dismiss(String id, String actor) throws Refusal {
        String outcome = detector.dismiss(id).orElseThrow(() -> new Refusal(Refusal.Kind.NOT_FOUND,
                "there is no quarantine waiting for approval with id " + id));
        LOG.log(System.Logger.Level.INFO, actor + " dismissed " + id + ": " + outcome);
        return outcome;
    }

    public Map<String, Double> features(String device) throws Refusal {
        DeviceId id;
        try {
            id = DeviceId.of(device);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
        return detector.features(id).orElseThrow(() -> new Refusal(Refusal.Kind.NOT_FOUND, "the detector has not"
                + " seen device " + device + " yet"));
    }

    /** The features of a client known only by its address (a legacy Modbus master's allowed traffic and refusals). */
    public Map<String, Double> addressFeatures(String address) throws Refusal {
        java.util.Optional<java.net.InetAddress> parsed = io.palisade.core.net.IpLiteral.parse(address);
        if (parsed.isEmpty()) {
            throw new Refusal(Refusal.Kind.MALFORMED, "'" + address + "' is not an IP address");
        }
        return detector.featuresOfAddress(parsed.get().getHostAddress()).orElseThrow(() -> new Refusal(
                Refusal.Kind.NOT_FOUND, "the detector has not seen address " + address + " yet"));
    }

    /** The cohort's normal range of each feature for {@code device} (5th, 95th percentile); empty before it has one. */
    public Map<String, double[]> normalRanges(String device) throws Refusal {
        try {
            return detector.normalRanges(DeviceId.of(device));
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
    }
}
