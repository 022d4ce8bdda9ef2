package io.palisade.detect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The learned model's cohorts: one {@link CohortModel} per device profile, made when the first device of the
 * profile is sampled, bounded ({@link #MAX}: profiles beyond it share one {@code overflow} model, so an
 * attacker inventing profiles cannot grow it), and taken over from a checkpoint or another instance.
 */
final class CohortModels {

    static final int MAX = 1024;

    private final Map<String, CohortModel> byProfile = new LinkedHashMap<>();
    private final long learningPeriodNanos;
    private final long seed;

    CohortModels(long learningPeriodNanos, long seed) {
        this.learningPeriodNanos = learningPeriodNanos;
        this.seed = seed;
    }

    /** The model of {@code profile}, made now if there is none. */
    CohortModel of(String profile, long now) {
        synchronized (byProfile) {
            CohortModel model = byProfile.get(profile);
            if (model == null) {
                if (byProfile.size() >= MAX) {
                    profile = "overflow";
                    model = byProfile.get(profile);
                }
                if (model == null) {
                    model = new CohortModel(profile, now, learningPeriodNanos, seed + byProfile.size());
                    byProfile.put(profile, model);
                }
            }
            return model;
        }
    }

    List<CohortModel> all() {
        synchronized (byProfile) {
            return new ArrayList<>(byProfile.values());
        }
    }

    /** Restores models from a checkpoint, in place of the ones of the same profiles. */
    void putAll(Map<String, CohortModel> models) {
        synchronized (byProfile) {
            byProfile.putAll(models);
        }
    }

    /** Takes the models of profiles that have none here (a model learned here stays); returns how many. */
    int adoptMissing(Map<String, CohortModel> models) {
        int taken = 0;
        synchronized (byProfile) {
            for (Map.Entry<String, CohortModel> model : models.entrySet()) {
                if (!byProfile.containsKey(model.getKey()) && byProfile.size() < MAX) {
                    byProfile.put(model.getKey(), model.getValue());
                    taken++;
                }
            }
        }
        return taken;
    }
}
