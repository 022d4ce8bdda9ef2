package io.palisade.gateway;

import io.palisade.core.device.Device;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import io.palisade.core.event.TrafficObserver;
import io.palisade.core.policy.AccessDecision;
import io.palisade.core.policy.Action;
import io.palisade.core.policy.PolicyBook;
import io.palisade.core.policy.RecentDecisions;
import io.palisade.core.policy.TopicFilters;
import java.nio.ByteBuffer;

/**
 * The decision on one PUBLISH of one device, in the order the gateway applies it: a valid topic name,
 * properties the broker can carry, the device's quota, its access policy, its QoS 1/2 flows in flight.
 * It emits the security events and tells detection, so that every user of it reports alike; the caller
 * only carries the verdict out (write, answer, pause reading, close).
 *
 * <p>No Netty types: the gateway's {@link DeviceSession} and the detection evaluation's simulated gateway
 * ({@code palisade-sim}) decide with this same class. One per session, used from its thread only.
 */
public final class PublishGate {

    /** What becomes of the PUBLISH. */
    public sealed interface Verdict permits Forward, Refuse, Close {
    }

    /** To the broker; with {@code pauseNanos > 0} the device is read from again only after that pause (quota). */
    public record Forward(long pauseNanos) implements Verdict {
    }

    /** Dropped; a QoS 1/2 publish is answered with {@code reasonCode} (MQTT 5; MQTT 3.1.1 acknowledges plainly). */
    public record Refuse(byte reasonCode, long pauseNanos) implements Verdict {
    }

    /** The session ends: DISCONNECT with {@code reasonCode} and {@code reason} (MQTT 5), then close. */
    public record Close(byte reasonCode, String reason) implements Verdict {
    }

    private final GatewayEvents events;
    private final TrafficObserver traffic;
    private final DeviceQuota quota;
    private final QosFlows flows;
    private final RecentDecisions decisions;
    private final String address;
    /** Until when the device is paused for its quota; a throttling event is reported once per pause. */
    private long throttledUntilNanos = Long.MIN_VALUE;

    PublishGate(String address, PolicyBook policies, DeviceQuota quota, QosFlows flows, GatewayEvents events,
                TrafficObserver traffic) {
        this.address = address;
        this.quota = quota;
        this.flows = flows;
        this.events = events;
        this.traffic = traffic;
        this.decisions = new RecentDecisions(policies, Action.PUBLISH);
    }

    /** For a simulated gateway: the same decisions and events, QoS flows limited to {@code limits}' in-flight maximum. */
    public PublishGate(String address, PolicyBook policies, DeviceQuota quota, GatewayLimits limits,
                       GatewayEvents events, TrafficObserver traffic) {
        this(address, policies, quota, new QosFlows(limits.maxInflight()), events, traffic);
    }

    /**
     * Decides one PUBLISH.
     *
     * @param current   the device as it stands now (quarantine and release apply from the next publish)
     * @param topic     the full topic (a topic alias already resolved)
     * @param payload   read (by detection), not kept
     * @param uncarried the name of a property the broker cannot carry (an MQTT 5 device over a 3.1.1
     *                  broker), or null
     */
    public Verdict publish(Device current, String topic, int qos, int packetId, boolean duplicate, ByteBuffer payload,
                           String uncarried, long nowNanos) {
        if (!TopicFilters.isValidTopicName(topic)) {
            return violation(current, MqttReplies.TOPIC_NAME_INVALID,
                    "PUBLISH to an invalid topic name (empty, wildcards or NUL)");
        }
        if (uncarried != null) {
            String reason = "the MQTT 3.1.1 broker cannot carry the " + uncarried;
            if (qos == 0) {
                return new Close(Mqtt5Over311.IMPLEMENTATION_SPECIFIC, reason); // no reply to carry a refusal
            }
            flows.refusedByGateway(packetId, qos);
            return new Refuse(Mqtt5Over311.IMPLEMENTATION_SPECIFIC, 0);
        }
        DeviceQuota.Verdict charged = quota.charge(payload.remaining(), nowNanos);
        if (charged instanceof DeviceQuota.Disconnect disconnect) {
            events.emit(EventType.QUOTA_EXCEEDED, Severity.HIGH, current.id(), address,
                    "device " + current.id() + " disconnected: " + disconnect.reason());
            return new Close(MqttReplies.QUOTA_EXCEEDED, "quota exceeded");
        }
        long pause = charged instanceof DeviceQuota.Throttle throttle ? throttled(current, throttle, nowNanos) : 0;
        AccessDecision decision = decisions.decide(current, topic);
        if (!decision.allowed()) {
            events.emit(EventType.ACL_DENIED, Severity.MEDIUM, current.id(), address, decision.reason(),
                    decision.details());
            if (qos > 0) {
                flows.refusedByGateway(packetId, qos);
            }
            return new Refuse(MqttReplies.NOT_AUTHORIZED, pause);
        }
        if (qos > 0) {
            QosFlows.Start start = flows.publishFromDevice(packetId, duplicate);
            if (start == QosFlows.Start.ID_IN_USE) {
                return violation(current, MqttReplies.PROTOCOL_ERROR,
                        "PUBLISH reuses packet id " + packetId + " of an unfinished QoS 1/2 flow");
            }
            if (start == QosFlows.Start.OVER_LIMIT) {
                String reason = "more than " + flows.maxInflight() + " unacknowledged QoS 1/2 publishes";
                events.emit(EventType.QUOTA_EXCEEDED, Severity.MEDIUM, current.id(), address,
                        "device " + current.id() + " disconnected: " + reason);
                return new Close(MqttReplies.RECEIVE_MAXIMUM_EXCEEDED, reason);
            }
        }
        traffic.published(current.id(), topic, payload);
        return new Forward(pause);
    }

    private long throttled(Device current, DeviceQuota.Throttle throttle, long nowNanos) {
        traffic.throttled(current.id(), throttle.pauseNanos());
        if (nowNanos >= throttledUntilNanos) {
            events.emitLimited(EventType.QUOTA_EXCEEDED, Severity.MEDIUM, current.id(), address,
                    "device " + current.id() + " throttled: publishing faster than its quota");
        }
        throttledUntilNanos = nowNanos + throttle.pauseNanos();
        return throttle.pauseNanos();
    }

    private Close violation(Device current, byte reasonCode, String what) {
        events.emit(EventType.PROTOCOL_VIOLATION, Severity.MEDIUM, current.id(), address, "MQTT protocol violation: " + what);
        return new Close(reasonCode, what);
    }
}
