package io.palisade.core.radio;

import java.util.Map;

/**
 * Where radio frame-counter windows are kept so that a restart does not reopen them to replays: for each sender and
 * key ({@code source|key}, e.g. {@code 00:12:4b:00:00:00:00:01|nwk:0}) the highest counter accepted and the bitmap of
 * the 64 counters below it already seen.
 */
public interface FrameCounters {

    record Window(long highest, long seen) {
    }

    Map<String, Window> loadAll();

    /** Saves these windows (added or moved forward) in one transaction, before the frames they accepted go anywhere. */
    void saveAll(Map<String, Window> windows);
}
