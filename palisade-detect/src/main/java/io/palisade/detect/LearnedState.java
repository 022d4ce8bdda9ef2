package io.palisade.detect;

import io.palisade.core.device.DeviceId;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What the detector has learned, as it leaves the process and comes back: the whole checkpoint (every device
 * and cohort, so that a restart does not reopen the learning period), one device's state for the instance it
 * moves to, and the cohort models for instances that have none yet. All in {@link DetectorCheckpoint}'s format,
 * with times relative to now.
 */
final class LearnedState {

    private final SubjectTable subjects;
    private final CohortModels cohorts;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final long learningPeriodNanos;

    LearnedState(SubjectTable subjects, CohortModels cohorts, LongSupplier nanoTime, Clock clock,
                 long learningPeriodNanos) {
        this.subjects = subjects;
        this.cohorts = cohorts;
        this.nanoTime = nanoTime;
        this.clock = clock;
        this.learningPeriodNanos = learningPeriodNanos;
    }

    byte[] checkpoint() {
        return DetectorCheckpoint.write(subjects, cohorts.all(), nanoTime.getAsLong(), clock.millis());
    }

    /** Devices and cohorts continue where they were; a subject already tracked keeps its live state. */
    int[] restore(byte[] checkpoint) throws IOException {
        DetectorCheckpoint.Restored restored = read(checkpoint);
        cohorts.putAll(restored.cohorts());
        restored.devices().forEach((subject, behaviour) -> subjects.getOrCreate(subject, s -> behaviour));
        return new int[] {restored.devices().size(), restored.cohorts().size()};
    }

    Optional<Detector.DeviceState> exportDevice(DeviceId device) {
        Subject subject = Subject.of(device);
        DeviceBehaviour behaviour = subjects.get(subject);
        if (behaviour == null) {
            return Optional.empty();
        }
        long now = nanoTime.getAsLong();
        long wall = clock.millis();
        byte[] state = DetectorCheckpoint.write(List.of(Map.entry(subject, behaviour)), List.of(), now, wall);
        long lastSeenNanos;
        synchronized (behaviour) {
            lastSeenNanos = behaviour.lastSeenNanos;
        }
        return Optional.of(new Detector.DeviceState(state, Instant.ofEpochMilli(wall - (now - lastSeenNanos) / 1_000_000L)));
    }

    void adoptDevice(DeviceId device, Detector.DeviceState handed) throws IOException {
        Subject subject = Subject.of(device);
        DeviceBehaviour behaviour = read(handed.state()).devices().get(subject);
        if (behaviour == null) {
            throw new IOException("the handed-over state does not hold device " + device);
        }
        subjects.put(subject, behaviour);
    }

    byte[] exportCohorts() {
        return DetectorCheckpoint.write(List.of(), cohorts.all(), nanoTime.getAsLong(), clock.millis());
    }

    int adoptCohorts(byte[] state) throws IOException {
        return cohorts.adoptMissing(read(state).cohorts());
    }

    List<DeviceId> devicesSeenWithin(java.time.Duration window) {
        long since = nanoTime.getAsLong() - window.toNanos();
        List<DeviceId> seen = new ArrayList<>();
        for (Map.Entry<Subject, DeviceBehaviour> entry : subjects.entries()) {
            if (entry.getKey().device().isPresent() && entry.getValue().lastSeenNanos >= since) {
                seen.add(entry.getKey().device().get());
            }
        }
        return seen;
    }

    private DetectorCheckpoint.Restored read(byte[] state) throws IOException {
        return DetectorCheckpoint.read(state, nanoTime.getAsLong(), clock.millis(), learningPeriodNanos);
    }
}
