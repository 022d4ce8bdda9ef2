package io.palisade.core.rollout;

import io.palisade.core.device.DeviceId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A roll-out and the state of each of its devices: the state machine that decides when a wave
 * starts, when the roll-out halts and when it is done. Not thread-safe: the owner serializes calls.
 *
 * <p>Every method that can start a wave returns the devices newly offered the update, for the
 * caller to notify; nothing here sends anything.
 */
public final class Rollout {

    private final String id;
    private final RolloutSpec spec;
    private final Instant createdAt;
    private RolloutState state;
    private int wave;
    private String reason;
    private Instant updatedAt;
    /** When the current wave started, or was resumed: its deadline runs from here. */
    private Instant waveStartedAt;
    private final Map<DeviceId, RolloutMember> members;

    /**
     * Restores a stored roll-out. {@code members} in their planned order; {@code waveStartedAt} null for one
     * stored before wave deadlines existed (its deadline then runs from {@code updatedAt}).
     */
    public Rollout(String id, RolloutSpec spec, Instant createdAt, RolloutState state, int wave, String reason,
                   Instant updatedAt, Instant waveStartedAt, List<RolloutMember> members) {
        this.id = Objects.requireNonNull(id, "id");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
        this.state = Objects.requireNonNull(state, "state");
        this.wave = wave;
        this.reason = reason == null ? "" : reason;
        this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
        this.waveStartedAt = waveStartedAt == null ? updatedAt : waveStartedAt;
        this.members = new LinkedHashMap<>();
        for (RolloutMember member : members) {
            this.members.put(member.device(), member);
        }
    }

    /**
     * Plans a roll-out over {@code targets} (already filtered by the selector): a stable pseudo-random
     * order per roll-out, so that the first wave is not always the same devices, cut into the waves.
     */
    public static Rollout plan(String id, RolloutSpec spec, Collection<DeviceId> targets, Instant now) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no enrolled device matches the roll-out's target selection");
        }
        List<DeviceId> order = new ArrayList<>(targets);
        Map<DeviceId, String> keys = new HashMap<>();
        for (DeviceId device : order) {
            keys.put(device, orderKey(id, device));
        }
        order.sort(Comparator.comparing(keys::get));
        List<RolloutMember> members = new ArrayList<>();
        int position = 0;
        for (int w = 0; w < spec.waves().size() && position < order.size(); w++) {
            int reach = spec.waves().get(w).reach(order.size());
            for (; position < reach; position++) {
                members.add(new RolloutMember(order.get(position), w, MemberState.PENDING, "", now));
            }
        }
        return new Rollout(id, spec, now, RolloutState.RUNNING, -1, "", now, now, members);
    }

    private static String orderKey(String rolloutId, DeviceId device) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((rolloutId + "\n" + device.value()).getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Starts the first wave. */
    public List<DeviceId> start(Instant now) {
        if (wave >= 0) {
            throw new IllegalStateException("roll-out " + id + " has started already");
        }
        return startWave(0, now);
    }

    /**
     * Records what a device reported. Reports from devices that are not offered the update yet, and
     * reports that would move a device backwards (a late "downloading" after "installed"), are ignored.
     * Returns the devices of a wave this report started.
     */
    public List<DeviceId> report(DeviceId device, MemberState reported, String detail, Instant now) {
        RolloutMember member = members.get(device);
        if (member == null || member.state() == MemberState.PENDING || member.state().isFinal()
                || reported == MemberState.PENDING || reported.ordinal() < member.state().ordinal()) {
            return List.of();
        }
        members.put(device, member.with(reported, detail, now));
        updatedAt = now;
        return evaluate(now);
    }

    /** Starts the next wave now (after AWAITING_APPROVAL, or to push a stalled wave along). */
    public List<DeviceId> approve(Instant now) {
        requireState("approve", RolloutState.RUNNING, RolloutState.AWAITING_APPROVAL);
        if (wave + 1 >= waveCount()) {
            throw new IllegalStateException("roll-out " + id + " is in its last wave; there is no next wave to approve");
        }
        state = RolloutState.RUNNING;
        return startWave(wave + 1, now);
    }

    public void pause(Instant now) {
        requireState("pause", RolloutState.RUNNING, RolloutState.AWAITING_APPROVAL);
        state = RolloutState.PAUSED;
        updatedAt = now;
    }

    /**
     * Resumes a paused roll-out; a wave that succeeded meanwhile starts the next one. The current wave's
     * deadline starts again: time spent paused is not the devices' to make up.
     */
    public List<DeviceId> resume(Instant now) {
        requireState("resume", RolloutState.PAUSED);
        state = RolloutState.RUNNING;
        updatedAt = now;
        waveStartedAt = now;
        return evaluate(now);
    }

    /**
     * What passing a wave's deadline or taking a device out changed: devices counted as unreached, and
     * devices of a wave that this started.
     */
    public record Outcome(List<DeviceId> unreached, List<DeviceId> offered) {
        public static final Outcome NONE = new Outcome(List.of(), List.of());
    }

    /**
     * Takes a device out (decommissioned): if it has not finished, it becomes UNREACHED with {@code why}, in
     * its wave or a later one, and the current wave is judged again without it.
     */
    public Outcome removeDevice(DeviceId device, String why, Instant now) {
        RolloutMember member = members.get(device);
        if (member == null || member.state().isFinal() || state.isFinal()) {
            return Outcome.NONE;
        }
        members.put(device, member.with(MemberState.UNREACHED, why, now));
        updatedAt = now;
        return new Outcome(List.of(device), evaluate(now));
    }

    /**
     * When the current wave's deadline has passed, its devices that have not finished become UNREACHED with
     * {@code why} as their detail (offline, or stuck in a state), and the wave is judged: the next wave
     * starts if enough installed, the roll-out halts naming the unreached devices if not.
     */
    public Outcome expire(Instant now, java.util.function.Function<RolloutMember, String> why) {
        if (state != RolloutState.RUNNING || wave < 0 || now.isBefore(waveStartedAt.plus(spec.waveDeadline()))) {
            return Outcome.NONE;
        }
        List<DeviceId> unreached = new ArrayList<>();
        for (RolloutMember member : List.copyOf(members.values())) {
            if (member.wave() == wave && !member.state().isFinal()) {
                members.put(member.device(), member.with(MemberState.UNREACHED, why.apply(member), now));
                unreached.add(member.device());
            }
        }
        updatedAt = now;
        return new Outcome(unreached, evaluate(now));
    }

    /** When the current wave's devices stop being waited for; empty unless the roll-out is running. */
    public java.util.Optional<Instant> waveDeadline() {
        return state == RolloutState.RUNNING && wave >= 0
                ? java.util.Optional.of(waveStartedAt.plus(spec.waveDeadline())) : java.util.Optional.empty();
    }

    public Instant waveStartedAt() {
        return waveStartedAt;
    }

    /** Cancels; returns the devices that were offered the update and have not finished, to withdraw the offer. */
    public List<DeviceId> cancel(String why, Instant now) {
        if (state.isFinal()) {
            throw new IllegalStateException("roll-out " + id + " is " + state.wireName() + " already");
        }
        state = RolloutState.CANCELLED;
        reason = why;
        updatedAt = now;
        return members.values().stream()
                .filter(m -> m.state() != MemberState.PENDING && !m.state().isFinal())
                .map(RolloutMember::device).toList();
    }

    private List<DeviceId> evaluate(Instant now) {
        if (state != RolloutState.RUNNING) {
            return List.of();
        }
        int offered = 0;
        int failed = 0;
        int waveSize = 0;
        int waveInstalled = 0;
        int waveFinished = 0;
        int waveUnreached = 0;
        for (RolloutMember member : members.values()) {
            if (member.wave() <= wave) {
                offered++;
                failed += member.state() == MemberState.FAILED ? 1 : 0;
            }
            if (member.wave() == wave) {
                waveSize++;
                waveInstalled += member.state() == MemberState.INSTALLED ? 1 : 0;
                waveFinished += member.state().isFinal() ? 1 : 0;
                waveUnreached += member.state() == MemberState.UNREACHED ? 1 : 0;
            }
        }
        if (failed > 0 && failed > spec.errorThreshold() * offered) {
            state = RolloutState.HALTED;
            reason = String.format(java.util.Locale.ROOT, "%d of %d devices offered the update failed (error threshold %.0f%%)",
                    failed, offered, spec.errorThreshold() * 100);
            return List.of();
        }
        // Devices not reached before the deadline say nothing about the image: the wave is judged on the
        // devices that were, unless most were not, which says too little to go on.
        if (waveUnreached * 2 > waveSize) {
            state = RolloutState.HALTED;
            reason = String.format(java.util.Locale.ROOT, "wave %d: %d of %d devices were not reached before its"
                    + " deadline (%d installed); too few reached to judge the image", wave + 1, waveUnreached,
                    waveSize, waveInstalled);
            return List.of();
        }
        if (waveInstalled < spec.successThreshold() * (waveSize - waveUnreached)) {
            if (waveFinished == waveSize) {
                // Every device of the wave is done and too few installed: waiting cannot change that, and a
                // roll-out that waits for ever tells the operator nothing.
                state = RolloutState.HALTED;
                reason = String.format(java.util.Locale.ROOT, "wave %d finished with %d of %d installed%s, below the"
                        + " success threshold of %.0f%%", wave + 1, waveInstalled, waveSize,
                        waveUnreached == 0 ? "" : " and " + waveUnreached + " not reached before its deadline",
                        spec.successThreshold() * 100);
            }
            return List.of();
        }
        if (wave + 1 >= waveCount()) {
            state = RolloutState.COMPLETED;
            reason = String.format(java.util.Locale.ROOT, "last wave reached its success threshold (%d of %d installed%s)",
                    waveInstalled, waveSize, waveUnreached == 0 ? "" : ", " + waveUnreached + " not reached");
            return List.of();
        }
        if (!spec.autoAdvance()) {
            state = RolloutState.AWAITING_APPROVAL;
            reason = "wave " + (wave + 1) + " succeeded; wave " + (wave + 2) + " waits for approval";
            return List.of();
        }
        return startWave(wave + 1, now);
    }

    private List<DeviceId> startWave(int next, Instant now) {
        wave = next;
        updatedAt = now;
        waveStartedAt = now;
        reason = "";
        List<DeviceId> offered = new ArrayList<>();
        for (RolloutMember member : members.values()) {
            if (member.wave() == next && member.state() == MemberState.PENDING) {
                members.put(member.device(), member.with(MemberState.NOTIFIED, "", now));
                offered.add(member.device());
            }
        }
        return offered;
    }

    private void requireState(String action, RolloutState... allowed) {
        for (RolloutState candidate : allowed) {
            if (state == candidate) {
                return;
            }
        }
        throw new IllegalStateException("cannot " + action + " roll-out " + id + ": it is " + state.wireName());
    }

    /** Number of waves that hold devices (a small target set may fill fewer waves than planned). */
    public int waveCount() {
        return members.values().stream().mapToInt(RolloutMember::wave).max().orElse(-1) + 1;
    }

    public Map<MemberState, Integer> counts() {
        Map<MemberState, Integer> counts = new EnumMap<>(MemberState.class);
        for (MemberState s : MemberState.values()) {
            counts.put(s, 0);
        }
        members.values().forEach(m -> counts.merge(m.state(), 1, Integer::sum));
        return counts;
    }

    public String id() {
        return id;
    }

    public RolloutSpec spec() {
        return spec;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public RolloutState state() {
        return state;
    }

    /** The current wave, 0-based; -1 before {@link #start}. */
    public int wave() {
        return wave;
    }

    /** Why the roll-out is in its state (halt cause, cancel reason, what it waits for); empty when running. */
    public String reason() {
        return reason;
    }

    public List<RolloutMember> members() {
        return List.copyOf(members.values());
    }

    public java.util.Optional<RolloutMember> member(DeviceId device) {
        return java.util.Optional.ofNullable(members.get(device));
    }
}
