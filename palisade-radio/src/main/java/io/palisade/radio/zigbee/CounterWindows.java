package io.palisade.radio.zigbee;

import io.palisade.core.radio.FrameCounters;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Every sender's {@link CounterWindow}s, loaded from and saved to {@link FrameCounters}. Verification moves windows in
 * memory and marks them; {@link #persist()} saves the marked ones in one transaction, which the ingest does before it
 * forwards a batch's frames, so a frame once forwarded is a replay after any restart. At most {@value #MAX_WINDOWS}
 * windows (senders times keys): a flood of forged senders cannot grow memory without bound, since only frames that
 * verified under a key get a window.
 */
final class CounterWindows {

    static final int MAX_WINDOWS = 100_000;

    private final FrameCounters store;
    private final Map<String, CounterWindow> windows = new HashMap<>();
    private final Map<String, FrameCounters.Window> dirty = new HashMap<>();

    CounterWindows(FrameCounters store) {
        this.store = store;
        store.loadAll().forEach((key, window) -> windows.put(key, new CounterWindow(window.highest(), window.seen())));
    }

    static String key(long source, String keyRef) {
        return io.palisade.radio.ieee802154.MacAddress.ofExtended(source) + "|" + keyRef;
    }

    CounterWindow.Check check(String key, long counter, Instant time) {
        CounterWindow window = windows.get(key);
        return window == null ? CounterWindow.Check.NEW : window.check(counter, time);
    }

    /** Accepts; false when the table is full (the frame is then not accepted). */
    boolean accept(String key, long counter, Instant time) {
        CounterWindow window = windows.get(key);
        if (window == null) {
            if (windows.size() >= MAX_WINDOWS) {
                return false;
            }
            window = CounterWindow.empty();
            windows.put(key, window);
        }
        window.accept(counter, time);
        dirty.put(key, new FrameCounters.Window(window.highest(), window.seen()));
        return true;
    }

    void persist() {
        if (!dirty.isEmpty()) {
            store.saveAll(Map.copyOf(dirty));
            dirty.clear();
        }
    }
}
