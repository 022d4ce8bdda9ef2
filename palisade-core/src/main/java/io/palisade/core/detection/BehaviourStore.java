package io.palisade.core.detection;

import io.palisade.core.device.DeviceId;
import java.time.Instant;
import java.util.Optional;

/**
 * What detection learned of each device, shared by several instances: a device's session can move to another
 * instance (its own failover, a rolling restart), and the instance it moves to continues from what the previous one
 * learned instead of opening a new learning period, during which the device would be watched less closely.
 */
public interface BehaviourStore {

    /**
     * A learned state (the detector's format) with, for a device, when the instance that learned it last saw it, and
     * for cohort models, when they were saved.
     */
    record Saved(byte[] state, Instant lastSeen, String instance) {
    }

    /**
     * Keeps {@code saved} unless the store holds a state of the device seen later (by another instance that has the
     * device now): an instance the device has left cannot overwrite what the current one learned.
     */
    void save(DeviceId device, Saved saved);

    Optional<Saved> load(DeviceId device);

    /** Forgets the device's state (it was decommissioned). */
    void delete(DeviceId device);

    /** Keeps {@code instance}'s cohort models (one per profile, the detector's format), replacing its previous ones. */
    void saveCohorts(String instance, byte[] state, Instant savedAt);

    /** The cohort models most recently saved by an instance other than {@code instance}, if any. */
    Optional<Saved> newestCohortsOtherThan(String instance);
}
