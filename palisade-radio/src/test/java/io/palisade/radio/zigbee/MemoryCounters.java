package io.palisade.radio.zigbee;

import io.palisade.core.radio.FrameCounters;
import java.util.HashMap;
import java.util.Map;

/** Frame counters kept in a map, as the SQL store keeps them in a table (the store contract tests that one). */
final class MemoryCounters implements FrameCounters {

    final Map<String, Window> saved = new HashMap<>();
    int saves;

    @Override
    public Map<String, Window> loadAll() {
        return Map.copyOf(saved);
    }

    @Override
    public void saveAll(Map<String, Window> windows) {
        saved.putAll(windows);
        saves++;
    }
}
