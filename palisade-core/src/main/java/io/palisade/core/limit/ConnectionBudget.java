package io.palisade.core.limit;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission of connections to one listener: attempts per address per second, open connections per
 * address and in total. A listener asks before any TLS work, so that a flood of connections costs a
 * close, not a handshake, and one address cannot take the process's file descriptors.
 *
 * <p>Thread-safe; {@link #release} must be called once for every admitted connection.
 */
public final class ConnectionBudget {

    private final String listener;
    private final double attemptsPerSecond;
    private final int maxPerAddress;
    private final int maxTotal;
    private final int reserve;
    private final java.util.function.Predicate<String> mayUseReserve;
    private final KeyedRateLimiter<String> attempts;
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    /**
     * @param listener          how refusals name the listener ("the MQTT port")
     * @param attemptsPerSecond sustained connection attempts per address (bursts of twice that)
     * @param maxPerAddress     open connections per address
     * @param maxTotal          open connections in total
     */
    public ConnectionBudget(String listener, double attemptsPerSecond, int maxPerAddress, int maxTotal, Clock clock) {
        this(listener, attemptsPerSecond, maxPerAddress, maxTotal, 0, address -> false, clock);
    }

    /**
     * With {@code reserve} connections beyond {@code maxTotal} that only addresses {@code mayUseReserve}
     * accepts may take: the operator's own access (loopback) still gets in while a flood from elsewhere
     * holds the rest.
     */
    public ConnectionBudget(String listener, double attemptsPerSecond, int maxPerAddress, int maxTotal, int reserve,
                            java.util.function.Predicate<String> mayUseReserve, Clock clock) {
        if (!(attemptsPerSecond > 0) || maxPerAddress < 1 || maxTotal < 1) {
            throw new IllegalArgumentException("connection budget of " + listener + " needs positive limits, got "
                    + attemptsPerSecond + "/s, " + maxPerAddress + " per address, " + maxTotal + " in total");
        }
        this.listener = listener;
        this.attemptsPerSecond = attemptsPerSecond;
        this.maxPerAddress = maxPerAddress;
        this.maxTotal = maxTotal;
        this.reserve = Math.max(0, reserve);
        this.mayUseReserve = mayUseReserve;
        this.attempts = new KeyedRateLimiter<>(Math.max(1, attemptsPerSecond * 2), attemptsPerSecond, 100_000, clock);
    }

    /** Admits a connection from {@code address}, or says why not (then nothing is counted). */
    public Optional<String> admit(String address) {
        return tryAdmit(address).refusal();
    }

    /**
     * Admits a connection from {@code address}, or says why not and whether the only reason is that the
     * listener is full (then a caller may make room, see {@link #admitInPlaceOf}).
     */
    public Admission tryAdmit(String address) {
        if (!attempts.tryAcquire(address)) {
            return Admission.refused("connection attempts from " + address + " to " + listener + " exceed "
                    + attemptsPerSecond + "/s", false);
        }
        int limit = mayUseReserve.test(address) ? maxTotal + reserve : maxTotal;
        if (total.incrementAndGet() > limit) {
            total.decrementAndGet();
            return Admission.refused(listener + " is at its limit of " + maxTotal + " connections",
                    countAt(address) < maxPerAddress);
        }
        AtomicInteger count = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
        if (count.incrementAndGet() > maxPerAddress) {
            release(address);
            return Admission.refused(address + " already has " + maxPerAddress + " connections to " + listener, false);
        }
        return Admission.ADMITTED;
    }

    /**
     * Admits a connection from {@code address} into the slot of one from {@code evicted}, which the caller is
     * closing and must not {@link #release}: the total stays, the per-address counts move. Refused (nothing
     * moved) when {@code address} already holds its share.
     */
    public Optional<String> admitInPlaceOf(String address, String evicted) {
        AtomicInteger count = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
        if (count.incrementAndGet() > maxPerAddress) {
            perAddress.computeIfPresent(address, (a, c) -> c.decrementAndGet() <= 0 ? null : c);
            return Optional.of(address + " already has " + maxPerAddress + " connections to " + listener);
        }
        perAddress.computeIfPresent(evicted, (a, c) -> c.decrementAndGet() <= 0 ? null : c);
        return Optional.empty();
    }

    private int countAt(String address) {
        AtomicInteger count = perAddress.get(address);
        return count == null ? 0 : count.get();
    }

    /** The outcome of {@link #tryAdmit}: admitted, or refused with the reason. */
    public record Admission(Optional<String> refusal, boolean onlyBecauseFull) {
        static final Admission ADMITTED = new Admission(Optional.empty(), false);

        static Admission refused(String why, boolean onlyBecauseFull) {
            return new Admission(Optional.of(why), onlyBecauseFull);
        }

        public boolean admitted() {
            return refusal.isEmpty();
        }
    }

    /** Ends an admitted connection. */
    public void release(String address) {
        total.decrementAndGet();
        perAddress.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    public int open() {
        return total.get();
    }

    public int maxTotal() {
        return maxTotal;
    }
}
