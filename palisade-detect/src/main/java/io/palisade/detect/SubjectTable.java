package io.palisade.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The subjects detection tracks, at most {@code capacity} of them. Every packet of every device looks its
 * subject up here from the gateway's event loops, so a lookup takes no lock that loops share (a
 * {@link ConcurrentHashMap} read). When new subjects push the table past its capacity, the least recently
 * seen tenth is forgotten in one pass: an attacker who invents subjects (addresses, claimed identities)
 * costs one scan per {@code capacity / 10} new subjects, not one per subject.
 */
final class SubjectTable {

    private final ConcurrentHashMap<Subject, DeviceBehaviour> map = new ConcurrentHashMap<>();
    private final int capacity;
    private final Object eviction = new Object();

    SubjectTable(int capacity) {
        this.capacity = capacity;
    }

    DeviceBehaviour get(Subject subject) {
        return map.get(subject);
    }

    DeviceBehaviour getOrCreate(Subject subject, Function<Subject, DeviceBehaviour> create) {
        DeviceBehaviour behaviour = map.computeIfAbsent(subject, create);
        if (map.size() > capacity) {
            evict();
        }
        return behaviour;
    }

    /** Puts {@code behaviour} in place of what {@code subject} had (a device handed over from another instance). */
    void put(Subject subject, DeviceBehaviour behaviour) {
        map.put(subject, behaviour);
        if (map.size() > capacity) {
            evict();
        }
    }

    int size() {
        return map.size();
    }

    /** Every subject with its behaviour, for a checkpoint. */
    List<java.util.Map.Entry<Subject, DeviceBehaviour>> entries() {
        return new ArrayList<>(map.entrySet());
    }

    List<DeviceBehaviour> all() {
        return new ArrayList<>(map.values());
    }

    private void evict() {
        synchronized (eviction) {
            int excess = map.size() - capacity;
            if (excess <= 0) {
                return;
            }
            int forget = Math.max(excess, Math.max(1, capacity / 10));
            // lastSeenNanos is read without the behaviour's lock: a moment's staleness only changes which of
            // two nearly as old subjects goes.
            long[] seen = map.values().stream().mapToLong(b -> b.lastSeenNanos).toArray();
            Arrays.sort(seen);
            long cutoff = seen[Math.min(forget, seen.length) - 1];
            int forgotten = 0;
            for (Iterator<DeviceBehaviour> it = map.values().iterator(); it.hasNext() && forgotten < forget; ) {
                if (it.next().lastSeenNanos <= cutoff) {
                    it.remove();
                    forgotten++;
                }
            }
        }
    }
}
