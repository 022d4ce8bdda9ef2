package io.palisade.control.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.TrafficObserver;
import java.nio.ByteBuffer;

/**
 * Counts what the gateway lets through, throttles and refuses at the handshake, then hands every call to the
 * next observer (detection). Every occurrence counts, where the matching events are rate-limited. Counters
 * are lock-free adders: this runs once per packet on I/O threads.
 */
public final class MeteredTraffic implements TrafficObserver {

    private final TrafficObserver next;
    private final Counter publishes;
    private final Counter publishedBytes;
    private final Counter connections;
    private final Counter throttles;
    private final Counter handshakeFailures;
    private final Counter deliveries;

    MeteredTraffic(MeterRegistry registry, TrafficObserver next) {
        this.next = next;
        this.publishes = Counter.builder("palisade.publishes.allowed").description("PUBLISH packets forwarded")
                .register(registry);
        this.publishedBytes = Counter.builder("palisade.publishes.allowed.bytes").baseUnit("bytes")
                .description("payload bytes forwarded").register(registry);
        this.connections = Counter.builder("palisade.connections.opened").description("device sessions opened")
                .register(registry);
        this.throttles = Counter.builder("palisade.throttles").description("pauses of a device over its quota")
                .register(registry);
        this.handshakeFailures = Counter.builder("palisade.handshake.failures")
                .description("TLS handshakes that failed authentication").register(registry);
        this.deliveries = Counter.builder("palisade.deliveries").description("messages delivered to devices")
                .register(registry);
    }

    @Override
    public void published(DeviceId device, String topic, ByteBuffer payload) {
        publishes.increment();
        publishedBytes.increment(payload.remaining());
        next.published(device, topic, payload);
    }

    @Override
    public void connected(Device device) {
        connections.increment();
        next.connected(device);
    }

    @Override
    public void subscribed(DeviceId device, String filter) {
        next.subscribed(device, filter);
    }

    @Override
    public void delivered(DeviceId device, int payloadBytes) {
        deliveries.increment();
        next.delivered(device, payloadBytes);
    }

    @Override
    public void throttled(DeviceId device, long pauseNanos) {
        throttles.increment();
        next.throttled(device, pauseNanos);
    }

    @Override
    public void handshakeFailed(String address) {
        handshakeFailures.increment();
        next.handshakeFailed(address);
    }

    @Override
    public void disconnected(DeviceId device) {
        next.disconnected(device);
    }
}
