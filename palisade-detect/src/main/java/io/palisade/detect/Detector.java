package io.palisade.detect;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventSink;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.event.TrafficObserver;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns the gateway's security events and traffic into per-subject behaviour, evaluates the built-in
 * signatures, the operator's rules and the learned model after each observation, and hands findings
 * to the {@link Responses}: every finding is an {@code anomaly.detected} event naming the rule, the
 * features that drove it and when the evidence started, and the response policy decides what else
 * happens (alert, throttle, quarantine now or after approval, revoke).
 *
 * <p>Observation is cheap and safe from any thread (gateway I/O threads call it per packet): a lookup
 * that takes no lock shared between threads ({@link SubjectTable}), a few arithmetic updates under the
 * subject's own lock, and a handful of comparisons. The learned model takes a sample of a device at most
 * once per sampling interval, and scores it on a thread of its own (a simulation passes a direct
 * executor instead), so no event loop waits for the forest or for another loop's sample.
 */
public final class Detector implements TrafficObserver, AutoCloseable {

    /** The learned model's findings carry this rule name. */
    public static final String MODEL_RULE = "model";
    /**
     * The model's features are ten-minute damped rates, which start from nothing: a device's samples
     * are taken only after this long (or the learning period, when shorter, as in demos), so the cohort
     * does not learn (or flag) its warm-up.
     */
    static final long MODEL_WARM_UP_NANOS = TimeUnit.MINUTES.toNanos(20);
    /** Device ids in topics of the standard tree, to tell attempts on other devices' topics. */
    private static final Pattern DEVICE_TOPIC = Pattern.compile("devices/([A-Za-z0-9._-]{1,64})/");

    private final DetectionConfig config;
    private final List<Rule> rules = Rules.builtIn();
    private final List<OperatorRule> operatorRules = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Function<DeviceId, DeviceScope> scopes;
    /** Scopes of devices the gateway authenticated: no store lookup on the I/O threads for them. */
    private final Map<DeviceId, DeviceScope> knownScopes = new java.util.concurrent.ConcurrentHashMap<>();
    private final Responses responses;
    private final SubjectTable subjects;
    private final ModelSampler model;
    private final LearnedState learned;
    private final FindingCooldown cooldown;
    /** Where model samples are scored: off the gateway's event loops. */
    private final ModelScoringQueue modelScoring;

    public Detector(DetectionConfig config, Responder responder, EventSink events, Clock clock, LongSupplier nanoTime) {
        this(config, responder, events, clock, nanoTime, device -> DeviceScope.DEFAULT, null, 1);
    }

    /**
     * @param scopes    a device's profile and segment (its cohort for the model, and operator rule scopes);
     *                  asked once per device when it is first seen
     * @param responses where responses run; {@code null} for a thread of the detector's own (a
     *                  simulation passes a direct executor so that virtual time stays consistent)
     * @param seed      the learned model's random seed (fixed for reproducible evaluations)
     */
    public Detector(DetectionConfig config, Responder responder, EventSink events, Clock clock, LongSupplier nanoTime,
                    Function<DeviceId, DeviceScope> scopes, java.util.concurrent.Executor responses, long seed) {
        this.config = config;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.scopes = scopes;
        this.responses = new Responses(new ResponsePolicy(config.autoQuarantine(), config.responses()), responder,
                events, clock, nanoTime, responses, config.benignSilence());
        this.subjects = new SubjectTable(config.maxSubjects());
        CohortModels cohorts = new CohortModels(config.learningPeriod().toNanos(), seed);
        this.model = new ModelSampler(cohorts, rules, clock, config.learningPeriod().toNanos());
        this.learned = new LearnedState(subjects, cohorts, nanoTime, clock, config.learningPeriod().toNanos());
        this.modelScoring = new ModelScoringQueue(responses);
        this.cooldown = new FindingCooldown(config.cooldown().toNanos(), config.maxSubjects() * 4);
    }

    // ---- observation ---------------------------------------------------------------------------------

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
                    behaviour.aclDeniedSlow.add(1, now);
                    if (event.device().isPresent() && namesAnotherDevice(event.details().getOrDefault("topic", ""), event.device().get())) {
                        behaviour.crossDeviceDenied.add(1, now);
                    }
                }
                case QUOTA_EXCEEDED -> behaviour.quotaHits.add(1, now);
                case PROTOCOL_VIOLATION -> behaviour.violations.add(1, now);
                case FILE_MODIFIED -> behaviour.fileChanges.add(1, now);
                case AUTH_SUCCEEDED -> {
                    boolean hadNetworks = behaviour.knowsNetworks();
                    if (behaviour.connectedFrom(network(event.source()), now) && hadNetworks && !learning(behaviour, now)) {
                        newNetwork = Optional.of(new Finding("new-network", Severity.MEDIUM, "new-network: "
                                + subject + " connected from " + event.source() + ", a network it has not used before",
                                behaviour.features(now), now, 1));
                        behaviour.peakRuleScore = Math.max(behaviour.peakRuleScore, 1);
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

    /** Feeds one allowed PUBLISH from a device (gateway I/O thread); {@code payload} is read, not kept. */
    public void onPublish(DeviceId device, String topic, ByteBuffer payload) {
        onPublish(Subject.of(device), topic, payload);
    }

    private void onPublish(Subject subject, String topic, ByteBuffer payload) {
        int bytes = payload.remaining();
        long now = nanoTime.getAsLong();
        DeviceBehaviour behaviour = behaviour(subject, now);
        // Entropy of every payload of a quiet device and of every odd-sized one, else of one in eight of a
        // busy device's (its damped mean moves the same way; the I/O thread is spared most histograms).
        boolean measure;
        synchronized (behaviour) {
            measure = behaviour.takeEntropySample(bytes, now);
        }
        double entropy = measure ? PayloadEntropy.bitsPerByte(payload) : Double.NaN;
        synchronized (behaviour) {
            behaviour.lastSeenNanos = now;
            behaviour.published(topic, bytes, entropy, now - behaviour.firstSeenNanos < settlingNanos(), now);
        }
        evaluate(subject, behaviour, now);
    }

    @Override
    public void connected(Device device) {
        if (knownScopes.size() >= config.maxSubjects()) {
            knownScopes.clear(); // bounded like the subjects; a forgotten scope is looked up again
        }
        knownScopes.put(device.id(), new DeviceScope(device.profile(), device.segment()));
    }

    @Override
    public void published(DeviceId device, String topic, ByteBuffer payload) {
        onPublish(device, topic, payload);
    }

    /** A legacy client's allowed traffic (a Modbus master known by its address), learned about that address. */
    @Override
    public void publishedFrom(String address, String topic, ByteBuffer payload) {
        if (address == null || address.isEmpty()) {
            return;
        }
        onPublish(Subject.ofAddress(address), topic, payload);
    }

    @Override
    public void subscribed(DeviceId device, String filter) {
        observe(Subject.of(device), b -> {
            b.subscribes.add(1, b.lastSeenNanos);
            b.subscribesSlow.add(1, b.lastSeenNanos);
        });
    }

    @Override
    public void delivered(DeviceId device, int payloadBytes) {
        observe(Subject.of(device), b -> {
            b.delivered.add(1, b.lastSeenNanos);
            b.deliveredSlow.add(1, b.lastSeenNanos);
            b.deliveredBytes.add(payloadBytes, b.lastSeenNanos);
        });
    }

    @Override
    public void throttled(DeviceId device, long pauseNanos) {
        observe(Subject.of(device), b -> b.throttledFor(pauseNanos, b.lastSeenNanos));
    }

    @Override
    public void handshakeFailed(String address) {
        if (address == null || address.isEmpty()) {
            return;
        }
        observe(Subject.ofAddress(address), b -> b.authFailures.add(1, b.lastSeenNanos));
    }

    @Override
    public void disconnected(DeviceId device) {
        observe(Subject.of(device), b -> {
            b.disconnects.add(1, b.lastSeenNanos);
            b.disconnectsSlow.add(1, b.lastSeenNanos);
        });
    }

    /** Records one observation of {@code subject} (now, in {@code lastSeenNanos}) under its lock, then evaluates. */
    private void observe(Subject subject, java.util.function.Consumer<DeviceBehaviour> update) {
        long now = nanoTime.getAsLong();
        DeviceBehaviour behaviour = behaviour(subject, now);
        synchronized (behaviour) {
            behaviour.lastSeenNanos = now;
            update.accept(behaviour);
        }
        evaluate(subject, behaviour, now);
    }

    // ---- evaluation ----------------------------------------------------------------------------------

    private DeviceBehaviour behaviour(Subject subject, long now) {
        DeviceBehaviour tracked = subjects.get(subject);
        if (tracked != null) {
            return tracked;
        }
        // Devices the gateway saw connect were told with their registry entry (connected); others (events
        // of the control plane, off the I/O threads) are looked up.
        DeviceScope scope = subject.device().map(id -> {
            DeviceScope known = knownScopes.get(id);
            return known != null ? known : scopes.apply(id);
        }).orElse(DeviceScope.DEFAULT);
        return subjects.getOrCreate(subject, s -> new DeviceBehaviour(now, scope));
    }

    /**
     * A device's first minutes (20, or the learning period when shorter): its ten-minute features are
     * still filling, so the model does not sample it yet, and the topics it uses are its usual set,
     * not new topics.
     */
    private long settlingNanos() {
        return Math.min(MODEL_WARM_UP_NANOS, config.learningPeriod().toNanos());
    }

    private boolean learning(DeviceBehaviour behaviour, long now) {
        return now - behaviour.firstSeenNanos < config.learningPeriod().toNanos();
    }

    private void evaluate(Subject subject, DeviceBehaviour behaviour, long now) {
        // One lock for all rules (this runs per packet); responses happen outside it.
        List<Finding> findings = new ArrayList<>(0);
        boolean sampleDue = false;
        synchronized (behaviour) {
            boolean learning = learning(behaviour, now);
            for (Rule rule : rules) {
                rule.evaluate(subject, behaviour, now, learning).ifPresent(findings::add);
            }
            if (!operatorRules.isEmpty()) {
                CohortModel cohort = subject.device().isPresent() ? model.cohortOf(behaviour, now) : null;
                for (OperatorRule rule : operatorRules) {
                    OperatorRules.evaluate(rule, subject, behaviour, cohort, now, learning,
                            config.learningPeriod().toNanos()).ifPresent(findings::add);
                }
            }
            if (config.model() && subject.device().isPresent()
                    && now - behaviour.lastModelSampleNanos >= config.sampleInterval().toNanos()
                    && now - behaviour.firstSeenNanos >= settlingNanos()) {
                behaviour.lastModelSampleNanos = now;
                sampleDue = true;
            }
            for (Finding finding : findings) {
                behaviour.peakRuleScore = Math.max(behaviour.peakRuleScore, finding.score());
            }
        }
        findings.forEach(f -> respond(subject, f, now));
        // Handed over outside the subject's lock: with a simulation's direct executor the sample is scored (and
        // answered) right here, and responses never run under a subject's lock.
        if (sampleDue) {
            modelScoring.submit(() -> scoreSample(subject, behaviour, now));
        }
    }

    /** Scores one model sample of a device (on the model's thread) and responds to a finding. */
    private void scoreSample(Subject subject, DeviceBehaviour behaviour, long now) {
        Optional<Finding> finding;
        synchronized (behaviour) {
            finding = model.sample(subject, behaviour, now, learning(behaviour, now));
            finding.ifPresent(f -> behaviour.peakModelScore = Math.max(behaviour.peakModelScore, f.score()));
        }
        finding.ifPresent(f -> respond(subject, f, now));
    }

    /** Model samples dropped because scoring fell behind (its queue was full). */
    public long skippedModelSamples() {
        return modelScoring.skipped();
    }

    private void respond(Subject subject, Finding finding, long now) {
        if (!responses.admits(subject, finding) || !cooldown.admits(subject, finding, now)) {
            return;
        }
        responses.respond(subject, finding, now, format(finding.features()));
    }

    // ---- operator rules, alerts, feedback, pending responses (the API's view) ------------------------

    public List<OperatorRule> operatorRules() {
        return List.copyOf(operatorRules);
    }

    /** Adds or replaces an operator rule; it applies from the next observation. */
    public void putRule(OperatorRule rule) {
        synchronized (operatorRules) {
            boolean replaced = operatorRules.removeIf(r -> r.name().equals(rule.name()));
            if (!replaced && operatorRules.size() >= OperatorRule.MAX_RULES) {
                throw new IllegalArgumentException("at most " + OperatorRule.MAX_RULES + " operator rules");
            }
            if (rules.stream().anyMatch(r -> r.name().equals(rule.name())) || MODEL_RULE.equals(rule.name())) {
                throw new IllegalArgumentException("'" + rule.name() + "' is the name of a built-in rule");
            }
            operatorRules.add(rule);
        }
    }

    public boolean removeRule(String name) {
        boolean removed;
        java.util.Set<String> remaining;
        synchronized (operatorRules) {
            removed = operatorRules.removeIf(r -> r.name().equals(name));
            remaining = operatorRules.stream().map(OperatorRule::name).collect(Collectors.toSet());
        }
        // Rate-of-change rules keep a recent average per subject: drop the removed rule's everywhere.
        for (DeviceBehaviour behaviour : subjects.all()) {
            synchronized (behaviour) {
                behaviour.forgetHistoryExcept(remaining);
            }
        }
        return removed;
    }

    /** The built-in rules and the model, with what each does by default under this configuration. */
    public List<BuiltInRule> builtInRules() {
        List<BuiltInRule> list = new ArrayList<>();
        for (Rule rule : rules) {
            list.add(new BuiltInRule(rule.name(), rule.severity(), responses.byDefault(rule.name(), rule.severity()),
                    rule.description()));
        }
        list.add(new BuiltInRule("new-network", Severity.MEDIUM, responses.byDefault("new-network", Severity.MEDIUM),
                "a device connecting from a /24 or /64 it has not used, after its learning period"));
        list.add(new BuiltInRule(MODEL_RULE, Severity.MEDIUM, responses.byDefault(MODEL_RULE, Severity.MEDIUM),
                config.model() ? "random cut forest per profile over " + CohortModel.MODEL_FEATURES.stream()
                        .map(Feature::wireName).collect(Collectors.joining(", ")) + " and the time of day; fires after "
                        + ModelSampler.CONSECUTIVE + " anomalous samples in a row (one per device per "
                        + config.sampleInterval().toSeconds() + " s)" : "off"));
        return list;
    }

    public List<Alert> alerts(int limit) {
        return responses.alerts(limit);
    }

    /** How many alerts the detector remembers for listing and feedback. */
    public static final int ALERTS_REMEMBERED = AlertLog.CAPACITY;

    /** Restores an alert raised before a restart (from its stored {@code anomaly.detected} event); oldest first. */
    public void restoreAlert(Alert alert) {
        responses.restore(alert);
    }

    /** A recent alert by id (the detector remembers the last 10,000). */
    public Optional<Alert> alert(String id) {
        return responses.alert(id);
    }

    /** Applies an operator's verdict on an alert; returns what changed, or empty when the alert is unknown. */
    public Optional<String> feedback(String alertId, AlertVerdict verdict) {
        return responses.feedback(alertId, verdict);
    }

    /**
     * Applies an operator's verdict on a finding the detector no longer remembers (an alert from before a
     * restart, found in the event store): {@code subject} as alerts name it (a device id, or "address A").
     */
    public String feedback(String subject, String rule, AlertVerdict verdict) {
        return responses.applyVerdict(subject, rule, verdict);
    }

    public List<TuningEntry> tuning() {
        return responses.tuning();
    }

    /** Re-applies an adjustment kept from an earlier run. */
    public void restoreTuning(TuningEntry entry) {
        responses.restoreTuning(entry);
    }

    public List<PendingResponse> pending() {
        return responses.pending();
    }

    /** Calls {@code listener} when a proposal is added ({@code true}) or approved or dismissed ({@code false}). */
    public void onProposals(java.util.function.BiConsumer<PendingResponse, Boolean> listener) {
        responses.onProposals(listener::accept);
    }

    /** Re-opens a proposal kept from an earlier run. */
    public void restorePending(PendingResponse proposal) {
        responses.restore(proposal);
    }

    /** Approves a proposed quarantine; returns the outcome, or empty when there is no such proposal. */
    public Optional<String> approve(String pendingId) {
        return responses.approve(pendingId);
    }

    public Optional<String> dismiss(String pendingId) {
        return responses.dismiss(pendingId);
    }

    public int trackedSubjects() {
        return subjects.size();
    }

    /** The features of a device now, for the API and tests. */
    public Optional<Map<String, Double>> features(DeviceId device) {
        return read(device, behaviour -> behaviour.features(nanoTime.getAsLong()));
    }

    /** The features of a client known only by its address (a legacy Modbus master), for the API and tests. */
    public Optional<Map<String, Double>> featuresOfAddress(String address) {
        DeviceBehaviour behaviour = subjects.get(Subject.ofAddress(address));
        if (behaviour == null) {
            return Optional.empty();
        }
        synchronized (behaviour) {
            return Optional.of(behaviour.features(nanoTime.getAsLong()));
        }
    }

    /**
     * The normal range (5th to 95th percentile) of each feature in the device's cohort, to draw its features against;
     * empty when the device is not tracked or its cohort has no samples yet.
     */
    public Map<String, double[]> normalRanges(DeviceId device) {
        return read(device, behaviour -> Optional.ofNullable(behaviour.cohort)).flatMap(cohort -> cohort)
                .map(CohortModel::normalRanges).orElse(Map.of());
    }

    /** Reads a tracked device's behaviour under its lock; empty when the device is not tracked. */
    private <T> Optional<T> read(DeviceId device, Function<DeviceBehaviour, T> reader) {
        DeviceBehaviour behaviour = subjects.get(Subject.of(device));
        if (behaviour == null) {
            return Optional.empty();
        }
        synchronized (behaviour) {
            return Optional.of(reader.apply(behaviour));
        }
    }

    /**
     * The highest scores a device reached since the last {@link #resetPeakScores} (both after its and
     * its cohort's learning period): the built-in rules' (1 = a rule's limit) and the model's (1 = the
     * cohort's threshold). For evaluations (ROC curves), not for decisions.
     */
    public Optional<PeakScores> peakScores(DeviceId device) {
        return read(device, behaviour -> new PeakScores(behaviour.peakRuleScore, behaviour.peakModelScore));
    }

    public void resetPeakScores() {
        for (DeviceBehaviour behaviour : subjects.all()) {
            synchronized (behaviour) {
                behaviour.peakRuleScore = 0;
                behaviour.peakModelScore = 0;
            }
        }
    }

    /** Highest scores of a device; see {@link #peakScores}. */
    public record PeakScores(double rules, double model) {
    }

    /** A built-in rule as operators see it. */
    public record BuiltInRule(String name, Severity severity, ResponseAction action, String description) {
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** Whether a refused topic (the event's {@code topic} detail, never its message) lies in another device's tree. */
    private static boolean namesAnotherDevice(String topic, DeviceId self) {
        Matcher matcher = DEVICE_TOPIC.matcher(topic);
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

    static String number(double value) {
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : "%.2f", value);
    }

    private static String format(Map<String, Double> features) {
        StringBuilder out = new StringBuilder();
        features.forEach((name, value) -> {
            if (value > 0.005) {
                out.append(out.length() == 0 ? "" : ", ").append(name).append('=').append(number(value));
            }
        });
        return out.toString();
    }

    /**
     * What detection has learned, so that a restart does not reopen the learning period: every device's
     * behaviour and every cohort's model, with times relative to now (see {@link DetectorCheckpoint}).
     */
    public byte[] checkpoint() {
        return learned.checkpoint();
    }

    /**
     * Takes a {@link #checkpoint()} back, before traffic flows: devices and cohorts continue where they were,
     * their counters decayed by the time the process was down; a subject already tracked keeps its live state.
     * Returns how many devices and cohorts were restored; a checkpoint that cannot be read is refused whole,
     * with the reason, and nothing changes.
     */
    public int[] restore(byte[] checkpoint) throws java.io.IOException {
        return learned.restore(checkpoint);
    }

    /** One device's learned behaviour as it leaves this instance, and when the device was last seen here. */
    public record DeviceState(byte[] state, java.time.Instant lastSeen) {
    }

    /**
     * What this detector learned of {@code device} (in the checkpoint format, cohorts left out), for the instance
     * the device moves to; empty when this detector has not seen it.
     */
    public Optional<DeviceState> exportDevice(DeviceId device) {
        return learned.exportDevice(device);
    }

    /**
     * Takes over what another instance learned of {@code device}, in place of what this detector has of it (the caller
     * knows the other instance's state is the newer). A state that cannot be read is refused with the reason, and
     * nothing changes.
     */
    public void adoptDevice(DeviceId device, DeviceState handed) throws java.io.IOException {
        learned.adoptDevice(device, handed);
    }

    /** The cohort models (one per profile) alone, in the checkpoint format: for instances that have none yet. */
    public byte[] exportCohorts() {
        return learned.exportCohorts();
    }

    /**
     * Takes the cohort models of {@code state} (another instance's {@link #exportCohorts()}) for the profiles this
     * detector has no model of yet; a model it already has, learned from its own devices, stays. Returns how many it
     * took; a state that cannot be read is refused whole, with the reason.
     */
    public int adoptCohorts(byte[] state) throws java.io.IOException {
        return learned.adoptCohorts(state);
    }

    /** The devices this detector saw within {@code window}: those whose state is worth saving now. */
    public List<DeviceId> devicesSeenWithin(java.time.Duration window) {
        return learned.devicesSeenWithin(window);
    }

    @Override
    public void close() {
        modelScoring.close();
        responses.close();
    }
}
