package io.palisade.gateway;

import io.netty.handler.codec.mqtt.MqttVersion;
import io.palisade.core.device.Device;
import io.palisade.core.event.EventType;
import io.palisade.core.policy.AccessDecision;
import io.palisade.core.policy.Action;
import io.palisade.core.policy.PolicyBook;
import io.palisade.core.policy.TopicFilters;
import java.util.Map;

/**
 * Decides one topic filter of a SUBSCRIBE. Shared subscriptions ({@code $share/GROUP/FILTER}) are
 * checked on their filter part. Refusals are MQTT 5 reason codes (0x8F invalid filter, 0x87 not
 * authorized, 0x97 quota exceeded) or the 3.1.1 failure code 0x80.
 */
final class SubscriptionCheck {

    static final int ACCEPTED = -1;
    private static final String SHARE_PREFIX = "$share/";

    private SubscriptionCheck() {
    }

    /** Where a refusal is reported: the event type, the operator's sentence and the structured details. */
    @FunctionalInterface
    interface Report {
        void refused(EventType type, String message, Map<String, String> details);
    }

    /** Returns {@link #ACCEPTED} or the refusal code; {@code report} receives the event for a refusal. */
    static int refusalCode(String filter, Device device, MqttVersion version, PolicyBook policies, int held,
                           int maxSubscriptions, Report report) {
        boolean v5 = version == MqttVersion.MQTT_5;
        String effective = filter;
        if (filter != null && filter.startsWith(SHARE_PREFIX)) {
            int slash = filter.indexOf('/', SHARE_PREFIX.length());
            String group = slash < 0 ? "" : filter.substring(SHARE_PREFIX.length(), slash);
            effective = slash < 0 ? "" : filter.substring(slash + 1);
            if (group.isEmpty() || group.contains("+") || group.contains("#")) {
                effective = "";
            }
        }
        if (!TopicFilters.isValidFilter(effective)) {
            report.refused(EventType.PROTOCOL_VIOLATION, "SUBSCRIBE with an invalid topic filter",
                    Map.of("action", Action.SUBSCRIBE.wireName(), "topic", filter == null ? "" : filter));
            return v5 ? Byte.toUnsignedInt(MqttReplies.TOPIC_FILTER_INVALID) : MqttReplies.SUBACK_FAILURE_V3;
        }
        AccessDecision decision = policies.decide(device, Action.SUBSCRIBE, effective);
        if (!decision.allowed()) {
            report.refused(EventType.ACL_DENIED, decision.reason(), decision.details());
            return v5 ? Byte.toUnsignedInt(MqttReplies.NOT_AUTHORIZED) : MqttReplies.SUBACK_FAILURE_V3;
        }
        if (held >= maxSubscriptions) {
            report.refused(EventType.QUOTA_EXCEEDED, "device " + device.id() + " holds the maximum of "
                    + maxSubscriptions + " subscriptions", Map.of("action", Action.SUBSCRIBE.wireName(), "topic", filter,
                    "limit", "max-subscriptions"));
            return v5 ? Byte.toUnsignedInt(MqttReplies.QUOTA_EXCEEDED) : MqttReplies.SUBACK_FAILURE_V3;
        }
        return ACCEPTED;
    }
}
