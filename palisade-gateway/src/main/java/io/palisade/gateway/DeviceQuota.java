package io.palisade.gateway;

/**
 * A device's publish quota: messages per second and payload bytes per second, each a token bucket
 * that may run into debt. Debt means "throttle": the session stops reading from the device until the
 * debt is paid back. Debt beyond {@code maxThrottle} seconds means the device floods: disconnect.
 *
 * <p>Throttling by not reading (TCP back-pressure) costs the gateway nothing and leaves the device's
 * neighbours untouched, because each device has its own connection.
 *
 * <p>One quota per device, not per connection ({@link DeviceQuotas}): debt outlives a disconnect, so a
 * device cannot reset its quota by reconnecting. Public so that the detection evaluation
 * ({@code palisade-sim}) applies the very same quota to simulated traffic. Its methods synchronize on the
 * quota itself: normally one session's I/O thread uses it, but a device's next connection may land on
 * another loop while the last one is closing (an uncontended per-device lock, never a global one).
 */
public final class DeviceQuota {

    /** What to do after charging one PUBLISH. */
    public sealed interface Verdict permits Pass, Throttle, Disconnect {
    }

    public record Pass() implements Verdict {
    }

    public record Throttle(long pauseNanos) implements Verdict {
    }

    public record Disconnect(String reason) implements Verdict {
    }

    private static final Pass PASS = new Pass();

    private final Bucket messages;
    private final Bucket bytes;
    private final double maxThrottleSeconds;
    private double restrictFactor = 1;
    private long restrictedUntilNanos = Long.MIN_VALUE;
    private long lastUsedNanos;

    public DeviceQuota(GatewayLimits limits, long nowNanos) {
        this.messages = new Bucket(limits.messageBurst(), limits.messagesPerSecond(), nowNanos);
        this.bytes = new Bucket(Math.max(limits.bytesPerSecond(), limits.maxPacketBytes()), limits.bytesPerSecond(),
                nowNanos);
        this.maxThrottleSeconds = limits.maxThrottle().toNanos() / 1e9;
        this.lastUsedNanos = nowNanos;
    }

    /**
     * Cuts the quota to {@code 1/factor} until {@code untilNanos} (a detection response): each message
     * and byte then costs {@code factor} times as much.
     */
    public synchronized void restrict(double factor, long untilNanos) {
        this.restrictFactor = Math.max(1, factor);
        this.restrictedUntilNanos = untilNanos;
    }

    public synchronized Verdict charge(int payloadBytes, long nowNanos) {
        lastUsedNanos = nowNanos;
        double cost = nowNanos < restrictedUntilNanos ? restrictFactor : 1;
        double messageDebt = messages.take(cost, nowNanos);
        double byteDebt = bytes.take(payloadBytes * cost, nowNanos);
        double wait = Math.max(messageDebt, byteDebt);
        if (wait <= 0) {
            return PASS;
        }
        if (wait > maxThrottleSeconds) {
            return new Disconnect(String.format("publishing %.0f s ahead of its quota (%.0f messages/s, %.0f bytes/s)",
                    wait, messages.rate, bytes.rate));
        }
        return new Throttle((long) (wait * 1e9));
    }

    /** Whether the quota has been idle long enough to be full again and out of debt, so forgetting it loses nothing. */
    synchronized boolean idleSince(long nowNanos, long idleNanos) {
        return nowNanos - lastUsedNanos >= idleNanos && nowNanos - restrictedUntilNanos >= 0;
    }

    /** A token bucket allowed to go negative; {@link #take} returns the seconds of debt afterwards. */
    private static final class Bucket {
        private final double capacity;
        private final double rate;
        private double tokens;
        private long last;

        Bucket(double capacity, double rate, long nowNanos) {
            this.capacity = capacity;
            this.rate = rate;
            this.tokens = capacity;
            this.last = nowNanos;
        }

        double take(double amount, long nowNanos) {
            tokens = Math.min(capacity, tokens + Math.max(0, nowNanos - last) / 1e9 * rate);
            last = nowNanos;
            tokens -= amount;
            return tokens >= 0 ? 0 : -tokens / rate;
        }
    }
}
