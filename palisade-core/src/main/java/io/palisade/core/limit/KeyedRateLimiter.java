package io.palisade.core.limit;

import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One token bucket per key (an address, a device), with a bounded number of keys so that an
 * attacker spraying addresses cannot grow memory without limit. When the table is full, the least
 * recently used key that still has tokens is dropped; limited keys go only when every key is limited.
 */
public final class KeyedRateLimiter<K> {

    private final double capacity;
    private final double refillPerSecond;
    private final int maxKeys;
    private final Clock clock;
    private final LinkedHashMap<K, TokenBucket> buckets = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param capacity        burst allowed per key
     * @param refillPerSecond sustained rate per key
     * @param maxKeys         most keys tracked at once
     */
    public KeyedRateLimiter(double capacity, double refillPerSecond, int maxKeys, Clock clock) {
        if (capacity < 1 || refillPerSecond <= 0 || maxKeys < 1) {
            throw new IllegalArgumentException("rate limiter needs capacity >= 1, refill > 0 and maxKeys >= 1, got "
                    + capacity + ", " + refillPerSecond + ", " + maxKeys);
        }
        this.capacity = capacity;
        this.refillPerSecond = refillPerSecond;
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    /** Takes one token for {@code key}; false when the key is over its rate. */
    public synchronized boolean tryAcquire(K key) {
        long now = TokenBucket.nanos(clock);
        TokenBucket bucket = buckets.get(key);
        if (bucket == null) {
            evictIfFull(now);
            bucket = new TokenBucket(capacity, refillPerSecond, now);
            buckets.put(key, bucket);
        }
        return bucket.tryTake(now);
    }

    /** True when {@code key} has no token left, without taking one. */
    public synchronized boolean isLimited(K key) {
        TokenBucket bucket = buckets.get(key);
        return bucket != null && bucket.secondsUntilToken(TokenBucket.nanos(clock)) > 0;
    }

    /** Seconds until {@code key} may act again (0 when it may now); for Retry-After headers. */
    public synchronized long retryAfterSeconds(K key) {
        TokenBucket bucket = buckets.get(key);
        return bucket == null ? 0 : bucket.secondsUntilToken(TokenBucket.nanos(clock));
    }

    public synchronized int trackedKeys() {
        return buckets.size();
    }

    private void evictIfFull(long now) {
        if (buckets.size() < maxKeys) {
            return;
        }
        // Oldest first: drop the first key that is not currently limited, so that spraying new keys
        // cannot push a limited key (the state worth keeping) out of the table.
        for (Iterator<Map.Entry<K, TokenBucket>> it = buckets.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().secondsUntilToken(now) == 0) {
                it.remove();
                return;
            }
        }
        K eldest = buckets.keySet().iterator().next();
        buckets.remove(eldest);
    }
}
