package io.palisade.core.rollout;

import io.palisade.core.device.DeviceId;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Durable roll-outs, so that they survive a restart of the control plane. */
public interface RolloutStore {

    /** Stores a new roll-out with all its members. */
    void create(Rollout rollout);

    /** Stores the roll-out's own state and the given members' states. */
    void update(Rollout rollout, Collection<DeviceId> changedMembers);

    Optional<Rollout> find(String id);

    /** All roll-outs, newest first. */
    List<Rollout> list();
}
