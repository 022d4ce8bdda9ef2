package io.palisade.control.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import io.palisade.core.fleet.FleetChannel;
import io.palisade.core.fleet.FleetTopics;
import io.palisade.core.policy.PolicyBook;
import io.palisade.core.rollout.MemberState;
import io.palisade.core.rollout.Rollout;
import io.palisade.core.rollout.RolloutSpec;
import io.palisade.core.rollout.RolloutState;
import io.palisade.core.rollout.RolloutStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Runs firmware roll-outs: plans them over the registry, offers the update to each wave's devices
 * over their management channel (a retained message, so a device that is offline gets it when it
 * comes back), feeds device reports into each roll-out's state machine, and stores every change
 * before acting on it. One lock serializes all roll-out changes; they are rare next to packets.
 */
public final class RolloutService {

    private static final System.Logger LOG = System.getLogger(RolloutService.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RolloutStore store;
    private final DeviceRegistry registry;
    private final PolicyBook policies;
    private final FleetChannel fleet;
    private final Predicate<String> targetExists;
    private final Events events;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Rollout> rollouts = new LinkedHashMap<>();
    private final java.util.function.Supplier<io.palisade.core.device.DeviceConnections> connections;

    public RolloutService(RolloutStore store, DeviceRegistry registry, PolicyBook policies, FleetChannel fleet,
                          Predicate<String> targetExists, Events events, Clock clock) {
        this(store, registry, policies, fleet, targetExists, events, clock,
                () -> io.palisade.core.device.DeviceConnections.NONE);
    }

    /** {@code connections}: what the gateway knows of devices' sessions, for targeting devices seen recently. */
    public RolloutService(RolloutStore store, DeviceRegistry registry, PolicyBook policies, FleetChannel fleet,
                          Predicate<String> targetExists, Events events, Clock clock,
                          java.util.function.Supplier<io.palisade.core.device.DeviceConnections> connections) {
        this.connections = connections;
        this.store = store;
        this.registry = registry;
        this.policies = policies;
        this.fleet = fleet;
        this.targetExists = targetExists;
        this.events = events;
        this.clock = clock;
    }

    /** Loads stored roll-outs (at start); offers stay retained at the broker, so nothing is re-sent. */
    public synchronized void load() {
        rollouts.clear();
        for (Rollout rollout : store.list()) {
            rollouts.put(rollout.id(), rollout);
        }
    }

    public synchronized Rollout create(RolloutSpec spec, String actor) throws Refusal {
        if (!fleet.available()) {
            throw new Refusal(Refusal.Kind.CONFLICT, "this instance runs without the MQTT gateway, so it cannot reach"
                    + " devices; create roll-outs on an instance started with `palisade up`");
        }
        if (!targetExists.test(spec.target())) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "the update repository has no published target '" + spec.target()
                    + "'; add it with `palisade repo add-target` and `palisade repo publish` first");
        }
        java.time.Instant now = clock.instant();
        Map<DeviceId, java.time.Instant> certified = spec.selector().seenWithin().isPresent()
                ? registry.lastCertificateIssued() : Map.of();
        io.palisade.core.device.DeviceConnections sessions = connections.get();
        List<DeviceId> targets = registry.list().stream()
                .filter(d -> spec.selector().matches(d, policies.isConfined(d), lastSeen(d.id(), certified, sessions), now))
                .map(Device::id).toList();
        String id = "ro-" + HexFormat.of().formatHex(nextId());
        Rollout rollout;
        try {
            rollout = Rollout.plan(id, spec, targets, clock.instant());
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.CONFLICT, e.getMessage() + spec.selector().seenWithin().map(within ->
                    " (only devices seen within the last " + within.toHours() + " h are targeted; pass"
                            + " --include-unseen, or seen_within_seconds 0, to include the others)").orElse(""));
        }
        List<DeviceId> first = rollout.start(clock.instant());
        store.create(rollout);
        rollouts.put(id, rollout);
        LOG.log(System.Logger.Level.INFO, "roll-out " + id + " of " + spec.target() + " created by " + actor + ": "
                + rollout.members().size() + " devices in " + rollout.waveCount() + " waves");
        offer(rollout, first);
        return rollout;
    }

    /** The latest sign of life: a session the gateway saw (since this start) or a certificate issued. */
    private static java.util.Optional<java.time.Instant> lastSeen(DeviceId device, Map<DeviceId, java.time.Instant> certified,
                                                                io.palisade.core.device.DeviceConnections sessions) {
        java.util.Optional<java.time.Instant> session = sessions.connection(device)
                .map(c -> c.connected() ? java.time.Instant.MAX : c.lastSeen());
        java.util.Optional<java.time.Instant> certificate = java.util.Optional.ofNullable(certified.get(device));
        return java.util.stream.Stream.of(session, certificate).flatMap(java.util.Optional::stream)
                .max(java.time.Instant::compareTo);
    }

    private byte[] nextId() {
        byte[] bytes = new byte[5];
        random.nextBytes(bytes);
        return bytes;
    }

    public synchronized List<Rollout> list() {
        List<Rollout> newestFirst = new ArrayList<>(rollouts.values());
        newestFirst.sort((a, b) -> b.createdAt().compareTo(a.createdAt()));
        return newestFirst;
    }

    public synchronized Rollout get(String id) throws Refusal {
        Rollout rollout = rollouts.get(id);
        if (rollout == null) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "there is no roll-out " + id);
        }
        return rollout;
    }

    public synchronized Rollout approve(String id) throws Refusal {
        Rollout rollout = get(id);
        List<DeviceId> next = change(rollout, () -> rollout.approve(clock.instant()));
        offer(rollout, next);
        return rollout;
    }

    public synchronized Rollout pause(String id) throws Refusal {
        Rollout rollout = get(id);
        change(rollout, () -> {
            rollout.pause(clock.instant());
            return List.of();
        });
        return rollout;
    }

    public synchronized Rollout resume(String id) throws Refusal {
        Rollout rollout = get(id);
        List<DeviceId> next = change(rollout, () -> rollout.resume(clock.instant()));
        offer(rollout, next);
        return rollout;
    }

    public synchronized Rollout cancel(String id, String reason) throws Refusal {
        Rollout rollout = get(id);
        List<DeviceId> unfinished = change(rollout, () -> rollout.cancel(reason, clock.instant()));
        unfinished.forEach(this::withdraw);
        return rollout;
    }

    /**
     * A device's progress report on a roll-out. Returns whether it changed anything: reports on unknown
     * roll-outs, from devices not offered the update, repeated or moving backwards change nothing and
     * cost no write, so a device repeating itself cannot make the store work for it.
     */
    public synchronized boolean report(DeviceId device, String rolloutId, MemberState state, String detail) {
        Rollout rollout = rollouts.get(rolloutId);
        if (rollout == null) {
            LOG.log(System.Logger.Level.DEBUG, device + " reported on unknown roll-out " + rolloutId);
            return false;
        }
        MemberState memberBefore = rollout.member(device).map(m -> m.state()).orElse(null);
        RolloutState before = rollout.state();
        List<DeviceId> next = rollout.report(device, state, detail, clock.instant());
        MemberState memberAfter = rollout.member(device).map(m -> m.state()).orElse(null);
        if (memberBefore == memberAfter && next.isEmpty() && before == rollout.state()) {
            return false;
        }
        List<DeviceId> changed = new ArrayList<>(next);
        changed.add(device);
        store.update(rollout, changed);
        if (state.isFinal()) {
            withdraw(device);
        }
        if (before != rollout.state()) {
            announce(rollout);
        }
        offer(rollout, next);
        return true;
    }

    /**
     * Passes wave deadlines: in each running roll-out whose current wave's deadline has passed, the devices
     * that have not finished become UNREACHED with the reason (offline since when, connected but silent, or
     * stuck in a state), their offers are withdrawn, and the wave is judged without them. Called every few
     * seconds; a roll-out whose deadline has not passed costs nothing.
     */
    public synchronized void passDeadlines(io.palisade.core.device.DeviceConnections connections) {
        java.time.Instant now = clock.instant();
        for (Rollout rollout : rollouts.values()) {
            RolloutState before = rollout.state();
            Rollout.Outcome outcome = rollout.expire(now, member -> whyUnreached(rollout, member, connections));
            if (apply(rollout, before, outcome)) {
                LOG.log(System.Logger.Level.WARNING, "roll-out " + rollout.id() + ": wave deadline passed, "
                        + outcome.unreached().size() + " devices not reached");
            }
        }
    }

    /**
     * Takes a decommissioned device out of every roll-out it has not finished: it counts as unreached with
     * {@code why}, its offer is withdrawn, and its wave is judged again without it.
     */
    public synchronized void removeDevice(DeviceId device, String why) {
        java.time.Instant now = clock.instant();
        for (Rollout rollout : rollouts.values()) {
            apply(rollout, rollout.state(), rollout.removeDevice(device, why, now));
        }
    }

    /** Stores and acts on what an outcome changed; returns whether it changed anything. */
    private boolean apply(Rollout rollout, RolloutState before, Rollout.Outcome outcome) {
        if (outcome.unreached().isEmpty() && outcome.offered().isEmpty() && before == rollout.state()) {
            return false;
        }
        List<DeviceId> changed = new ArrayList<>(outcome.unreached());
        changed.addAll(outcome.offered());
        store.update(rollout, changed);
        outcome.unreached().forEach(this::withdraw);
        if (before != rollout.state()) {
            announce(rollout);
        }
        offer(rollout, outcome.offered());
        return true;
    }

    private static String whyUnreached(Rollout rollout, io.palisade.core.rollout.RolloutMember member,
                                       io.palisade.core.device.DeviceConnections connections) {
        String deadline = "within the wave deadline of " + describe(rollout.spec().waveDeadline());
        if (member.state() != MemberState.NOTIFIED) {
            return "stuck " + member.state().wireName() + " since " + member.updatedAt() + ", not installed " + deadline
                    + (member.detail().isEmpty() ? "" : " (last report: " + member.detail() + ")");
        }
        return connections.connection(member.device())
                .map(c -> c.connected()
                        ? "connected (since " + c.since() + ") but did not take the offer " + deadline
                        : "offline since " + c.lastSeen() + "; did not take the offer " + deadline)
                .orElse("not connected since this instance started; did not take the offer " + deadline);
    }

    private static String describe(java.time.Duration duration) {
        long seconds = duration.toSeconds();
        return seconds % 86_400 == 0 ? seconds / 86_400 + "d" : seconds % 3600 == 0 ? seconds / 3600 + "h"
                : seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    private interface Change {
        List<DeviceId> apply();
    }

    private List<DeviceId> change(Rollout rollout, Change change) throws Refusal {
        RolloutState before = rollout.state();
        List<DeviceId> changed;
        try {
            changed = change.apply();
        } catch (IllegalStateException e) {
            throw new Refusal(Refusal.Kind.CONFLICT, e.getMessage());
        }
        store.update(rollout, rollout.state() == RolloutState.CANCELLED ? List.of() : changed);
        if (before != rollout.state()) {
            announce(rollout);
        }
        return changed;
    }

    private void announce(Rollout rollout) {
        String text = "roll-out " + rollout.id() + " of " + rollout.spec().target() + " is " + rollout.state().wireName()
                + (rollout.reason().isEmpty() ? "" : ": " + rollout.reason());
        if (rollout.state() == RolloutState.HALTED) {
            // An operator must look at a halted roll-out: it is stored as a security event, not only logged.
            events.emit(EventType.FIRMWARE_REJECTED, Severity.HIGH, null, "control-plane", text);
        }
        LOG.log(rollout.state() == RolloutState.HALTED ? System.Logger.Level.WARNING : System.Logger.Level.INFO, text);
    }

    private void offer(Rollout rollout, List<DeviceId> devices) {
        for (DeviceId device : devices) {
            var offer = JSON.createObjectNode().put("rollout", rollout.id()).put("target", rollout.spec().target());
            fleet.publish(FleetTopics.update(device), offer.toString().getBytes(StandardCharsets.UTF_8), true);
        }
        if (!devices.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "roll-out " + rollout.id() + ": wave " + (rollout.wave() + 1) + " offered to "
                    + devices.size() + " devices");
        }
    }

    /** An empty retained message deletes the retained offer, so a device that reconnects is not offered it again. */
    private void withdraw(DeviceId device) {
        fleet.publish(FleetTopics.update(device), new byte[0], true);
    }
}
