package io.palisade.sim.eval;

import io.palisade.core.event.EventSink;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.event.TrafficObserver;
import io.palisade.core.limit.KeyedRateLimiter;
import io.palisade.core.policy.AccessDecision;
import io.palisade.core.policy.Action;
import io.palisade.core.policy.PolicyBook;
import io.palisade.gateway.DeviceQuota;
import io.palisade.gateway.GatewayLimits;
import java.nio.ByteBuffer;

/**
 * What the gateway does with simulated traffic, using the gateway's own decision code: the real
 * access policy ({@link PolicyBook}) and per-device quota ({@link DeviceQuota}), with security events
 * and traffic observations in the shapes and at the rates the gateway produces them (rate-limited
 * events once per subject per 10 s, observer calls for every packet). The sockets and TLS are what
 * is left out.
 */
final class GatewayModel {

    /** As the gateway reports events an attacker can trigger: once per type and subject per 10 s. */
    private static final double REPORT_INTERVAL_SECONDS = 10;

    private final PolicyBook policies;
    private final GatewayLimits limits;
    private final EventSink events;
    private final TrafficObserver traffic;
    private final VirtualClock clock;
    private final KeyedRateLimiter<String> reports;

    GatewayModel(PolicyBook policies, GatewayLimits limits, EventSink events, TrafficObserver traffic,
                 VirtualClock clock) {
        this.policies = policies;
        this.limits = limits;
        this.events = events;
        this.traffic = traffic;
        this.clock = clock;
        this.reports = new KeyedRateLimiter<>(1, 1.0 / REPORT_INTERVAL_SECONDS, 100_000, clock);
    }

    GatewayLimits limits() {
        return limits;
    }

    /** A device (or someone holding its key) connects from {@code address}. */
    void connect(SimDevice device, String address) {
        device.connect(limits, clock.nanos());
        traffic.connected(device.registered); // as the gateway tells detection after authentication
        emit(EventType.AUTH_SUCCEEDED, Severity.INFO, device, address, "device " + device.id + " connected over MQTT 5");
    }

    void disconnect(SimDevice device) {
        if (device.connected) {
            device.connected = false;
            traffic.disconnected(device.id);
        }
    }

    /** A TLS handshake from an address without a valid certificate. */
    void handshakeFailure(String address) {
        traffic.handshakeFailed(address);
        emitLimited(EventType.AUTH_FAILED, Severity.MEDIUM, null, address,
                "TLS handshake on the MQTT port failed: empty client certificate chain");
    }

    /**
     * A PUBLISH from the device. Returns nanoseconds the device must wait before its next packet is read
     * (quota throttling), 0 when none.
     */
    long publish(SimDevice device, String topic, ByteBuffer payload) {
        if (!device.connected) {
            return 0;
        }
        long now = clock.nanos();
        DeviceQuota.Verdict verdict = device.quota.charge(payload.remaining(), now);
        if (verdict instanceof DeviceQuota.Disconnect disconnect) {
            emit(EventType.QUOTA_EXCEEDED, Severity.HIGH, device, device.address, "device " + device.id
                    + " disconnected: " + disconnect.reason());
            disconnect(device);
            return 0;
        }
        long pause = 0;
        if (verdict instanceof DeviceQuota.Throttle throttle) {
            pause = throttle.pauseNanos();
            traffic.throttled(device.id, pause);
            emitLimited(EventType.QUOTA_EXCEEDED, Severity.MEDIUM, device, device.address, "device " + device.id
                    + " throttled: publishing faster than its quota");
        }
        AccessDecision decision = policies.decide(device.registered, Action.PUBLISH, topic);
        if (!decision.allowed()) {
            emit(EventType.ACL_DENIED, Severity.MEDIUM, device, device.address, decision.reason());
            return pause;
        }
        traffic.published(device.id, topic, payload);
        return pause;
    }

    void subscribe(SimDevice device, String filter) {
        if (!device.connected) {
            return;
        }
        AccessDecision decision = policies.decide(device.registered, Action.SUBSCRIBE, filter);
        if (!decision.allowed()) {
            emit(EventType.ACL_DENIED, Severity.MEDIUM, device, device.address, decision.reason());
            return;
        }
        traffic.subscribed(device.id, filter);
    }

    /** A message from the broker for the device (a command, an update offer). */
    void deliver(SimDevice device, String topic, int bytes) {
        if (device.connected && policies.decide(device.registered, Action.SUBSCRIBE, topic).allowed()) {
            traffic.delivered(device.id, bytes);
        }
    }

    /** What the device's agent reports over its management channel (file integrity monitoring). */
    void fileModified(SimDevice device, String path) {
        emit(EventType.FILE_MODIFIED, Severity.HIGH, device, device.address, "file " + path + " modified on device "
                + device.id + ": sha256 changed");
    }

    private void emit(EventType type, Severity severity, SimDevice device, String address, String message) {
        events.emit(SecurityEvent.of(clock.instant(), type, severity, device == null ? null : device.id, address,
                message));
    }

    private void emitLimited(EventType type, Severity severity, SimDevice device, String address, String message) {
        if (reports.tryAcquire(type.wireName() + "|" + (device != null ? device.id.value() : address))) {
            emit(type, severity, device, address, message);
        }
    }
}
