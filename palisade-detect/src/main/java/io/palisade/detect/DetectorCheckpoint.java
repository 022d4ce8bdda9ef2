package io.palisade.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.device.DeviceId;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The on-disk form of what a {@link Detector} learned: devices' behaviour and cohorts' models as JSON, every
 * time stored as nanoseconds before the moment the checkpoint was taken, so that a later process (with its own
 * nanosecond clock) can put them back on its clock, decayed by the time it was down. Source addresses are left
 * out: anyone can make them up, and they are relearned in minutes.
 */
final class DetectorCheckpoint {

    /** Format version; a checkpoint of another version is not restored. */
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a checkpoint held, ready to be adopted. */
    record Restored(Map<Subject, DeviceBehaviour> devices, Map<String, CohortModel> cohorts) {
    }

    private DetectorCheckpoint() {
    }

    /** Devices are saved one at a time under their own lock: packets keep flowing meanwhile. */
    static byte[] write(SubjectTable subjects, Collection<CohortModel> cohorts, long nowNanos, long wallMillis) {
        return write(subjects.entries(), cohorts, nowNanos, wallMillis);
    }

    /** The given subjects' behaviour (addresses left out) and the given cohorts. */
    static byte[] write(Collection<Map.Entry<Subject, DeviceBehaviour>> subjects, Collection<CohortModel> cohorts,
                        long nowNanos, long wallMillis) {
        var root = JSON.createObjectNode();
        root.put("version", VERSION);
        root.put("taken_at", wallMillis);
        var devices = root.putObject("devices");
        for (Map.Entry<Subject, DeviceBehaviour> entry : subjects) {
            if (entry.getKey().device().isEmpty()) {
                continue;
            }
            DeviceBehaviour behaviour = entry.getValue();
            synchronized (behaviour) {
                devices.set(entry.getKey().device().get().value(), behaviour.save(nowNanos, JSON));
            }
        }
        var saved = root.putArray("cohorts");
        for (CohortModel model : cohorts) {
            saved.add(model.save(nowNanos, JSON));
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the detection checkpoint", e);
        }
    }

    /** Reads a checkpoint whole, or refuses it with the reason; nothing half-read is returned. */
    static Restored read(byte[] checkpoint, long nowNanos, long wallMillis, long learningNanos) throws IOException {
        JsonNode root = JSON.readTree(checkpoint);
        if (root == null || root.path("version").asInt() != VERSION) {
            throw new IOException("not a version " + VERSION + " detection checkpoint");
        }
        long downNanos = Math.max(0, wallMillis - root.path("taken_at").asLong()) * 1_000_000L;
        long base = nowNanos - downNanos;
        Map<String, CohortModel> models = new LinkedHashMap<>();
        Map<Subject, DeviceBehaviour> behaviours = new LinkedHashMap<>();
        try {
            for (JsonNode cohort : root.path("cohorts")) {
                CohortModel model = CohortModel.restore(cohort, base, learningNanos, JSON);
                models.put(model.name(), model);
            }
            var devices = root.path("devices").fields();
            while (devices.hasNext()) {
                var entry = devices.next();
                // The scope saved with it: looking each device up in the registry would make a large fleet's
                // start wait on thousands of queries.
                behaviours.put(Subject.of(DeviceId.of(entry.getKey())), DeviceBehaviour.restore(entry.getValue(), base,
                        DeviceBehaviour.savedScope(entry.getValue())));
            }
        } catch (RuntimeException e) {
            // Whatever the damage (a field missing, a forest the library cannot rebuild), nothing half-restored.
            throw new IOException("unreadable detection checkpoint: " + e.getMessage(), e);
        }
        return new Restored(behaviours, models);
    }
}
