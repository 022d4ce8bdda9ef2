package io.palisade.gateway;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribePayload;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The subscriptions of a mux's sessions, held upstream once per topic filter ({@link MuxFilter}), each with a
 * Subscription Identifier of its own: a device's SUBSCRIBE becomes one upstream SUBSCRIBE per filter and its
 * SUBACK is put together from their answers; the last session to leave a filter unsubscribes it; a message the
 * broker sends goes to exactly the sessions sharing the filters its identifiers name, at the QoS each was
 * granted (at most 1). Retained messages, which the broker sends again whenever the filter is subscribed again,
 * go only to the sessions that subscribed in the last {@link #RETAINED_WINDOW_NANOS}.
 */
final class MuxSubscriptions {

    static final long RETAINED_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int MAX_SUBSCRIPTION_ID = 268_435_455;
    private static final Object UNSUBSCRIBING = new Object();
    private static final Set<Integer> SUBSCRIPTION_ID = Set.of(MqttProperties.SUBSCRIPTION_IDENTIFIER);

    /** A device's SUBSCRIBE, sent upstream as one SUBSCRIBE per filter. */
    private static final class SubscribeWait {
        final MuxedSession session;
        final int devicePacketId;
        final int[] codes;
        int unanswered;

        SubscribeWait(MuxedSession session, int devicePacketId, int filters) {
            this.session = session;
            this.devicePacketId = devicePacketId;
            this.codes = new int[filters];
            this.unanswered = filters;
        }
    }

    /** What the upstream SUBACK of one filter answers: which filter of which device's SUBSCRIBE. */
    private record FilterAnswer(SubscribeWait subscribe, int index, MuxFilter filter, int requested) {
    }

    private final Channel channel;
    private final MuxPacketIds packetIds;
    private final Set<MuxedSession> touched;
    /** Whether the broker has the mux connected (no UNSUBSCRIBE is sent otherwise). */
    private final BooleanSupplier connected;
    private final Map<String, MuxFilter> filters = new HashMap<>();
    private final Map<Integer, MuxFilter> bySubscriptionId = new HashMap<>();
    private int lastSubscriptionId;

    MuxSubscriptions(Channel channel, MuxPacketIds packetIds, Set<MuxedSession> touched, BooleanSupplier connected) {
        this.channel = channel;
        this.packetIds = packetIds;
        this.touched = touched;
        this.connected = connected;
    }

    void subscribe(MuxedSession session, MqttSubscribeMessage subscribe) {
        List<MqttTopicSubscription> wanted = subscribe.payload().topicSubscriptions();
        int deviceSubscriptionId = MqttReplies.intProperty(subscribe.idAndPropertiesVariableHeader().properties(),
                MqttProperties.SUBSCRIPTION_IDENTIFIER, 0);
        SubscribeWait wait = new SubscribeWait(session, subscribe.variableHeader().messageId(), wanted.size());
        for (int i = 0; i < wanted.size(); i++) {
            MqttTopicSubscription topic = wanted.get(i);
            MuxFilter filter = filters.computeIfAbsent(topic.topicFilter(), this::newFilter);
            MuxFilter.Share share = filter.shares.computeIfAbsent(session, s -> new MuxFilter.Share());
            int requested = Math.min(1, topic.qualityOfService().value());
            share.qos = requested;
            share.retainedUntilNanos = Long.MAX_VALUE;
            share.deviceSubscriptionId = deviceSubscriptionId;
            session.filters.put(filter.filter, filter);
            filter.upstreamQos = filter.highestQos();
            int packetId = packetIds.take(new FilterAnswer(wait, i, filter, requested));
            MqttProperties properties = new MqttProperties();
            properties.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER,
                    filter.subscriptionId));
            channel.write(new MqttSubscribeMessage(
                    new MqttFixedHeader(MqttMessageType.SUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                    new MqttMessageIdAndPropertiesVariableHeader(packetId, properties),
                    new MqttSubscribePayload(List.of(new MqttTopicSubscription(filter.filter,
                            new MqttSubscriptionOption(MqttQoS.valueOf(filter.upstreamQos), false, false,
                                    MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE))))),
                    channel.voidPromise());
        }
    }

    private MuxFilter newFilter(String topicFilter) {
        int id;
        do {
            lastSubscriptionId = lastSubscriptionId == MAX_SUBSCRIPTION_ID ? 1 : lastSubscriptionId + 1;
            id = lastSubscriptionId;
        } while (bySubscriptionId.containsKey(id));
        MuxFilter filter = new MuxFilter(topicFilter, id);
        bySubscriptionId.put(id, filter);
        return filter;
    }

    void unsubscribe(MuxedSession session, MqttUnsubscribeMessage unsubscribe) {
        List<String> topics = unsubscribe.payload().topics();
        short[] codes = new short[topics.size()];
        for (int i = 0; i < topics.size(); i++) {
            MuxFilter filter = session.filters.remove(topics.get(i));
            codes[i] = filter == null ? (short) 0x11 : 0; // 0x11: no subscription existed
            if (filter != null) {
                leave(filter, session);
            }
        }
        session.session.fromUpstream(new MqttUnsubAckMessage(
                new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(unsubscribe.variableHeader().messageId(),
                        MqttProperties.NO_PROPERTIES),
                new MqttUnsubAckPayload(codes)));
    }

    /** The session ended: it leaves every filter it shared. */
    void leaveAll(MuxedSession session) {
        for (MuxFilter filter : session.filters.values()) {
            leave(filter, session);
        }
        session.filters.clear();
    }

    /** {@code session} no longer shares {@code filter}; the last one out unsubscribes upstream. */
    private void leave(MuxFilter filter, MuxedSession session) {
        filter.shares.remove(session);
        if (!filter.shares.isEmpty()) {
            return;
        }
        filters.remove(filter.filter);
        bySubscriptionId.remove(filter.subscriptionId);
        if (connected.getAsBoolean()) {
            int packetId = packetIds.take(UNSUBSCRIBING);
            channel.write(new MqttUnsubscribeMessage(
                    new MqttFixedHeader(MqttMessageType.UNSUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                    new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                    new MqttUnsubscribePayload(List.of(filter.filter))), channel.voidPromise());
        }
    }

    /** The broker answered one filter's SUBSCRIBE; the device's SUBACK goes once all its filters are answered. */
    void subAck(MqttSubAckMessage subAck) {
        if (!(packetIds.release(subAck.variableHeader().messageId()) instanceof FilterAnswer answer)) {
            return;
        }
        List<Integer> codes = subAck.payload().reasonCodes();
        int code = codes.isEmpty() ? 0x80 : codes.get(0);
        SubscribeWait wait = answer.subscribe();
        MuxFilter.Share share = answer.filter().shares.get(wait.session);
        if (code >= 0x80) {
            if (share != null) {
                wait.session.filters.remove(answer.filter().filter);
                leave(answer.filter(), wait.session);
            }
            wait.codes[answer.index()] = wait.session.v5 ? code : 0x80;
        } else {
            wait.codes[answer.index()] = Math.min(code, answer.requested());
            if (share != null) {
                share.retainedUntilNanos = System.nanoTime() + RETAINED_WINDOW_NANOS;
            }
        }
        if (--wait.unanswered == 0 && !wait.session.ended()) {
            wait.session.session.fromUpstream(new MqttSubAckMessage(
                    new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                    new MqttMessageIdAndPropertiesVariableHeader(wait.devicePacketId, MqttProperties.NO_PROPERTIES),
                    new MqttSubAckPayload(wait.codes)));
            touched.add(wait.session);
        }
    }

    void unsubAck(int packetId) {
        packetIds.release(packetId);
    }

    /**
     * Hands a message the broker sent to each session sharing a filter it names, once per session even where
     * several of its filters match. The properties are copied without the mux's Subscription Identifiers only
     * when some session takes the message.
     */
    void route(MqttPublishMessage publish) {
        MqttProperties properties = publish.variableHeader().properties();
        List<? extends MqttProperties.MqttProperty> ids = properties.getProperties(
                MqttProperties.SUBSCRIPTION_IDENTIFIER);
        MqttProperties forDevices = null;
        boolean retained = publish.fixedHeader().isRetain();
        long now = retained ? System.nanoTime() : 0;
        int qos = publish.fixedHeader().qosLevel().value();
        Set<MuxedSession> reached = ids.size() > 1 ? new HashSet<>() : null;
        for (MqttProperties.MqttProperty<?> id : ids) {
            MuxFilter filter = bySubscriptionId.get((Integer) id.value());
            if (filter == null) {
                continue; // unsubscribed meanwhile
            }
            for (Map.Entry<MuxedSession, MuxFilter.Share> entry : filter.shares.entrySet()) {
                MuxFilter.Share share = entry.getValue();
                if ((retained && now - share.retainedUntilNanos > 0)
                        || (reached != null && !reached.add(entry.getKey()))) {
                    continue;
                }
                if (forDevices == null) {
                    forDevices = MqttReplies.without(properties, SUBSCRIPTION_ID);
                }
                MqttProperties copyProperties = forDevices;
                if (share.deviceSubscriptionId != 0) {
                    copyProperties = MqttReplies.without(forDevices, Set.of());
                    copyProperties.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER,
                            share.deviceSubscriptionId));
                }
                if (entry.getKey().deliver(publish, Math.min(qos, share.qos), copyProperties)) {
                    touched.add(entry.getKey());
                }
            }
        }
    }
}
