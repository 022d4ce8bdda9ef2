package io.palisade.sim.eval;

import io.palisade.core.event.EventSink;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import io.palisade.core.event.TrafficObserver;
import io.palisade.core.policy.AccessDecision;
import io.palisade.core.policy.Action;
import io.palisade.core.policy.PolicyBook;
import io.palisade.gateway.GatewayEvents;
import io.palisade.gateway.GatewayLimits;
import io.palisade.gateway.PublishGate;
import java.nio.ByteBuffer;

/**
 * What the gateway does with simulated traffic, using the gateway's own decision code: a device's
 * publishes go through the gateway's {@link PublishGate} (topic, quota, policy, in-flight, and the
 * events and observations it reports), subscriptions and deliveries through the real access policy
 * ({@link PolicyBook}), other events through {@link GatewayEvents} at the gateway's rates. The sockets
 * and TLS are what is left out.
 */
final class GatewayModel {

    private final PolicyBook policies;
    private final GatewayLimits limits;
    private final EventSink events;
    private final TrafficObserver traffic;
    private final VirtualClock clock;
    private final GatewayEvents reports;

    GatewayModel(PolicyBook policies, GatewayLimits limits, EventSink events, TrafficObserver traffic,
                 VirtualClock clock) {
        this.policies = policies;
        this.limits = limits;
        this.events = events;
        this.traffic = traffic;
        this.clock = clock;
        this.reports = new GatewayEvents(events, clock);
    }

    GatewayLimits limits() {
        return limits;
    }

    /** A device (or someone holding its key) connects from {@code address}. */
    void connect(SimDevice device, String address) {
        device.connect(limits, clock.nanos());
        device.gate = new PublishGate(address, policies, device.quota, limits, reports, traffic);
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
        // Simulated devices publish at QoS 0 (no packet id), from the address they connected from.
        PublishGate.Verdict verdict = device.gate.publish(device.registered, topic, 0, 0, false, payload, null,
                clock.nanos());
        if (verdict instanceof PublishGate.Close) {
            disconnect(device);
            return 0;
        }
        return verdict instanceof PublishGate.Forward forward ? forward.pauseNanos()
                : ((PublishGate.Refuse) verdict).pauseNanos();
    }

    void subscribe(SimDevice device, String filter) {
        if (!device.connected) {
            return;
        }
        AccessDecision decision = policies.decide(device.registered, Action.SUBSCRIBE, filter);
        if (!decision.allowed()) {
            reports.emit(EventType.ACL_DENIED, Severity.MEDIUM, device.id, device.address, decision.reason(),
                    decision.details());
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
        reports.emit(type, severity, device == null ? null : device.id, address, message);
    }

    private void emitLimited(EventType type, Severity severity, SimDevice device, String address, String message) {
        reports.emitLimited(type, severity, device == null ? null : device.id, address, message);
    }
}
