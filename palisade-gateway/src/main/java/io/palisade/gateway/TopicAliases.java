package io.palisade.gateway;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import java.util.Set;

/**
 * The topic aliases an MQTT 5 device set on its publishes (MQTT 5 §3.3.2.3.4), resolved by the gateway.
 *
 * <p>The gateway grants the device {@code maximum} aliases in CONNACK and resolves them itself, so that
 * policy always sees the real topic, and it forwards every publish to the broker with its full topic and
 * no alias. Forwarding the alias instead would break as soon as the gateway refused a publish that set
 * one: the broker would never learn that alias and would fail the device's next alias-only publish.
 * Aliases live as long as the connection (they are not part of the session).
 *
 * <p>An instance is confined to the session's event loop.
 */
final class TopicAliases {

    /** The outcome of resolving one PUBLISH. */
    record Resolution(String topic, String error) {
        boolean ok() {
            return error == null;
        }
    }

    /** What {@link #resolve} is given for a PUBLISH without a Topic Alias property (0 itself is invalid). */
    static final int NONE = -1;

    private static final Set<Integer> ALIAS = Set.of(MqttProperties.TOPIC_ALIAS);

    private final int maximum;
    private String[] topics;

    TopicAliases(int maximum) {
        this.maximum = maximum;
    }

    int maximum() {
        return maximum;
    }

    /**
     * The topic a PUBLISH goes to. {@code alias} is its Topic Alias property, or {@link #NONE};
     * {@code topic} its topic name (empty when the alias alone names the topic).
     */
    Resolution resolve(String topic, int alias) {
        if (alias == NONE) {
            return new Resolution(topic, null);
        }
        if (alias < 1 || alias > maximum) {
            return new Resolution(topic, maximum == 0 ? "topic alias " + alias + " used, but none were granted"
                    : "topic alias " + alias + " is outside 1.." + maximum);
        }
        if (topics == null) {
            topics = new String[maximum + 1];
        }
        if (!topic.isEmpty()) {
            topics[alias] = topic;
            return new Resolution(topic, null);
        }
        String known = topics[alias];
        return known == null ? new Resolution(topic, "topic alias " + alias + " was never set")
                : new Resolution(known, null);
    }

    /** The Topic Alias property of a PUBLISH, or {@link #NONE}. */
    static int aliasOf(MqttPublishMessage publish) {
        MqttProperties.MqttProperty<?> alias = publish.variableHeader().properties()
                .getProperty(MqttProperties.TOPIC_ALIAS);
        return alias != null && alias.value() instanceof Integer value ? value : NONE;
    }

    /** The publish as the broker gets it: the resolved full topic, no alias; the payload is handed on. */
    static MqttPublishMessage withFullTopic(MqttPublishMessage publish, String topic) {
        return new MqttPublishMessage(publish.fixedHeader(), new MqttPublishVariableHeader(topic,
                publish.variableHeader().packetId(), MqttReplies.without(publish.variableHeader().properties(), ALIAS)),
                publish.payload());
    }
}
