package io.palisade.detect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The most recent alerts by id (at most {@link #CAPACITY}), for listing and feedback. Thread-safe. */
final class AlertLog {

    static final int CAPACITY = 10_000;

    private final Map<String, Alert> alerts = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Alert> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized void add(Alert alert) {
        alerts.put(alert.id(), alert);
    }

    synchronized Optional<Alert> find(String id) {
        return Optional.ofNullable(alerts.get(id));
    }

    synchronized void replace(Alert alert) {
        alerts.computeIfPresent(alert.id(), (id, old) -> alert);
    }

    /** Newest first. */
    synchronized List<Alert> newest(int limit) {
        List<Alert> all = new ArrayList<>(alerts.values());
        Collections.reverse(all);
        return all.subList(0, Math.min(Math.max(0, limit), all.size()));
    }
}
