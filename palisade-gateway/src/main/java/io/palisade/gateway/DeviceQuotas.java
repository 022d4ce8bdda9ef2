package io.palisade.gateway;

import io.palisade.core.device.DeviceId;
import io.palisade.core.limit.KeyedRateLimiter;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every device's publish quota and connect rate, kept by device id across its connections: a device
 * that floods, is disconnected and reconnects finds its debt where it left it, and a device that
 * reconnects in a loop is refused after a burst, whatever address it comes from.
 *
 * <p>Bounded: a quota idle long enough to be full again carries no information and is forgotten once
 * the book holds more quotas than the gateway allows connections.
 */
final class DeviceQuotas {

    /** Connects one device may burst before its sustained per-device rate applies. */
    static final int CONNECT_BURST = 10;
    private static final int SWEEP_EVERY = 1024;

    private final GatewayLimits limits;
    private final Map<DeviceId, DeviceQuota> quotas = new ConcurrentHashMap<>();
    private final KeyedRateLimiter<DeviceId> connects;
    private final long idleNanos;
    private final AtomicInteger untilSweep = new AtomicInteger(SWEEP_EVERY);

    DeviceQuotas(GatewayLimits limits, Clock clock) {
        this.limits = limits;
        this.connects = new KeyedRateLimiter<>(CONNECT_BURST, limits.connectsPerSecondPerDevice(),
                limits.maxConnections(), clock);
        // Long enough for both buckets to refill from the deepest debt a connected device can reach.
        double refillSeconds = Math.max(limits.messageBurst() / limits.messagesPerSecond(),
                Math.max(limits.bytesPerSecond(), limits.maxPacketBytes()) / limits.bytesPerSecond());
        this.idleNanos = (long) ((refillSeconds + limits.maxThrottle().toNanos() / 1e9 + 1) * 1e9);
    }

    /** The device's quota, created full on its first connection. */
    DeviceQuota of(DeviceId device, long nowNanos) {
        if (untilSweep.decrementAndGet() <= 0 || quotas.size() > limits.maxConnections()) {
            untilSweep.set(SWEEP_EVERY);
            quotas.values().removeIf(q -> q.idleSince(nowNanos, idleNanos));
        }
        return quotas.computeIfAbsent(device, d -> new DeviceQuota(limits, nowNanos));
    }

    /** Takes one connect from the device's connect budget; false when it reconnects too often. */
    boolean admitConnect(DeviceId device) {
        return connects.tryAcquire(device);
    }

    int size() {
        return quotas.size();
    }
}
