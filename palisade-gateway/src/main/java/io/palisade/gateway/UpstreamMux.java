package io.palisade.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
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
import io.netty.util.ReferenceCountUtil;
import io.palisade.core.Errors;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One MQTT 5 connection to the broker that carries every device session of one event loop
 * ({@code --upstream mqtt://...?mux=1}), so that a session costs the gateway one descriptor, not two.
 *
 * <p>What the mux does in the broker's stead for each session ({@link MuxedSession}): it answers CONNECT
 * (with the broker's own CONNACK, session not present: sessions on a mux are clean) and PINGREQ; it gives
 * each device's QoS 1 and 2 publish a packet id of the mux's and hands the broker's answer back under the
 * device's id, and keeps no more of them unanswered than the broker's Receive Maximum (the rest wait, and
 * the sessions stop reading meanwhile); it subscribes upstream once per topic filter, each with a
 * Subscription Identifier of its own, so that a message the broker sends says which filter it is for and goes
 * to exactly the sessions that share that filter, at the QoS each was granted (at most 1), under each
 * session's own packet ids; it acknowledges the broker when it has handed a message to the sessions, and
 * consumes the devices' acknowledgements; it publishes a session's will when the session ends without
 * DISCONNECT. Retained messages, which the broker sends again whenever the filter is subscribed again, go
 * only to the sessions that subscribed in the last {@link #RETAINED_WINDOW_NANOS}.
 *
 * <p>What the broker then sees: one client ({@code palisade-mux-...}) with the gateway's credentials
 * publishing for many devices, as with {@link PublishLane}; the gateway's policy has decided each publish. An
 * MQTT 5 "No Local" subscription and shared subscriptions are refused. When the connection ends, its
 * sessions end as if their own broker connection had (they reconnect), and their wills are not published.
 *
 * <p>All methods run on the mux's event loop, which its sessions share.
 */
final class UpstreamMux extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(UpstreamMux.class.getName());
    static final long RETAINED_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int MAX_PACKET_ID = 0xFFFF;
    private static final int MAX_SUBSCRIPTION_ID = 268_435_455;
    /** Broker CONNACK properties that concern the mux's own connection, not the devices'. */
    private static final Set<Integer> MUX_ONLY = Set.of(MqttProperties.RECEIVE_MAXIMUM,
            MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, MqttProperties.SERVER_KEEP_ALIVE, MqttProperties.REASON_STRING,
            MqttProperties.RESPONSE_INFORMATION, MqttProperties.SESSION_EXPIRY_INTERVAL);
    private static final Object UNSUBSCRIBING = new Object();
    /** Below this, the broker's Receive Maximum is what limits the devices' QoS 1 throughput (warned once). */
    private static final int LOW_RECEIVE_MAXIMUM = 1000;
    private static final java.util.concurrent.atomic.AtomicBoolean RECEIVE_MAXIMUM_WARNED =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** A device's QoS 1 or 2 publish on its way: whose it is and under which packet id the device sent it. */
    private static final class Outbound {
        final MuxedSession session;
        final int devicePacketId;
        MqttPublishMessage waiting;

        Outbound(MuxedSession session, int devicePacketId) {
            this.session = session;
            this.devicePacketId = devicePacketId;
        }
    }

    /** A device's SUBSCRIBE, sent upstream as one SUBSCRIBE per filter (each has its own identifier). */
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

    private record FilterAnswer(SubscribeWait subscribe, int index, MuxFilter filter, int requested) {
    }

    private record Waiter(Consumer<UpstreamMux> ready, Consumer<String> failed) {
    }

    private final EventLoop loop;
    private final String clientId;
    private final UpstreamAddress address;
    private final Runnable flush = this::flush;
    private Channel channel;
    private boolean ready;
    private volatile boolean ended;
    private MqttConnAckMessage deviceConnAck;
    private int brokerReceiveMaximum = MAX_PACKET_ID;
    private final List<Waiter> waiters = new ArrayList<>();
    private final Set<MuxedSession> sessions = new HashSet<>();
    private volatile int sessionCount;
    private final Map<String, MuxFilter> filters = new HashMap<>();
    private final Map<Integer, MuxFilter> bySubscriptionId = new HashMap<>();
    private int lastSubscriptionId;
    /** Packet id → what it was used for: an {@link Outbound}, a {@link FilterAnswer} or {@link #UNSUBSCRIBING}. */
    private final Map<Integer, Object> inFlight = new HashMap<>();
    private int lastPacketId;
    private int publishesInFlight;
    private final ArrayDeque<Outbound> queued = new ArrayDeque<>();
    private final Set<MuxedSession> waitingForRoom = new LinkedHashSet<>();
    private final Set<MuxedSession> touched = new LinkedHashSet<>();
    private boolean flushScheduled;

    UpstreamMux(EventLoop loop, String clientId, UpstreamAddress address) {
        this.loop = loop;
        this.clientId = clientId;
        this.address = address;
    }

    EventLoop loop() {
        return loop;
    }

    boolean ended() {
        return ended;
    }

    int sessions() {
        return sessionCount;
    }

    /** Calls {@code ready} once the broker accepted the mux (at once if it has), or {@code failed} with why not. */
    void whenReady(Consumer<UpstreamMux> onReady, Consumer<String> onFailed) {
        if (ready) {
            onReady.accept(this);
        } else if (ended) {
            onFailed.accept("the upstream broker is unavailable");
        } else {
            waiters.add(new Waiter(onReady, onFailed));
        }
    }

    /** A device session takes its place on the mux (the broker accepted the mux). */
    MuxedSession attach(DeviceSession session, MqttConnectMessage connect, int receiveMaximum, boolean v5) {
        MuxedSession placed = new MuxedSession(this, session, connect, receiveMaximum, v5);
        sessions.add(placed);
        sessionCount = sessions.size();
        return placed;
    }

    /** The CONNACK a session on this mux relays to its device (the broker's, session not present). */
    MqttConnAckMessage connAck() {
        return deviceConnAck;
    }

    // ---- from the sessions -----------------------------------------------------------------------

    void publish(MuxedSession session, MqttPublishMessage publish) {
        if (publish.fixedHeader().qosLevel() == MqttQoS.AT_MOST_ONCE) {
            channel.write(publish, channel.voidPromise());
            return;
        }
        Outbound outbound = new Outbound(session, publish.variableHeader().packetId());
        if (queued.isEmpty() && hasRoom()) {
            send(outbound, publish);
        } else {
            outbound.waiting = publish;
            queued.add(outbound);
        }
    }

    private boolean hasRoom() {
        return publishesInFlight < brokerReceiveMaximum && inFlight.size() < MAX_PACKET_ID;
    }

    private void send(Outbound outbound, MqttPublishMessage publish) {
        int packetId = nextPacketId();
        inFlight.put(packetId, outbound);
        publishesInFlight++;
        if (publish.fixedHeader().qosLevel() == MqttQoS.EXACTLY_ONCE) {
            outbound.session.exactlyOnce.put(outbound.devicePacketId, packetId);
        }
        MqttPublishVariableHeader header = publish.variableHeader();
        channel.write(new MqttPublishMessage(publish.fixedHeader(),
                new MqttPublishVariableHeader(header.topicName(), packetId, header.properties()), publish.payload()),
                channel.voidPromise());
    }

    void pubrel(MuxedSession session, int devicePacketId) {
        Integer packetId = session.exactlyOnce.get(devicePacketId);
        if (packetId == null) { // nothing of the device's under that id: answered as a broker would
            session.session.fromUpstream(reply(MqttMessageType.PUBCOMP, devicePacketId, null));
            return;
        }
        channel.write(reply(MqttMessageType.PUBREL, packetId, null), channel.voidPromise());
    }

    void subscribe(MuxedSession session, MqttSubscribeMessage subscribe) {
        List<MqttTopicSubscription> wanted = subscribe.payload().topicSubscriptions();
        int deviceSubscriptionId = MqttReplies.intProperty(subscribe.idAndPropertiesVariableHeader().properties(),
                MqttProperties.SUBSCRIPTION_IDENTIFIER, 0);
        SubscribeWait wait = new SubscribeWait(session, subscribe.variableHeader().messageId(), wanted.size());
        for (int i = 0; i < wanted.size(); i++) {
            MqttTopicSubscription topic = wanted.get(i);
            MuxFilter filter = filters.computeIfAbsent(topic.topicFilter(), f -> newFilter(f));
            MuxFilter.Share share = filter.shares.computeIfAbsent(session, s -> new MuxFilter.Share());
            int requested = Math.min(1, topic.qualityOfService().value());
            share.qos = requested;
            share.retainedUntilNanos = Long.MAX_VALUE;
            share.deviceSubscriptionId = deviceSubscriptionId;
            session.filters.put(filter.filter, filter);
            filter.upstreamQos = filter.highestQos();
            int packetId = nextPacketId();
            inFlight.put(packetId, new FilterAnswer(wait, i, filter, requested));
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

    /** {@code session} no longer shares {@code filter}; the last one out unsubscribes upstream. */
    private void leave(MuxFilter filter, MuxedSession session) {
        filter.shares.remove(session);
        if (!filter.shares.isEmpty()) {
            return;
        }
        filters.remove(filter.filter);
        bySubscriptionId.remove(filter.subscriptionId);
        if (ready) {
            int packetId = nextPacketId();
            inFlight.put(packetId, UNSUBSCRIBING);
            channel.write(new MqttUnsubscribeMessage(
                    new MqttFixedHeader(MqttMessageType.UNSUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                    new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                    new MqttUnsubscribePayload(List.of(filter.filter))), channel.voidPromise());
        }
    }

    /** The session ended: its subscriptions are given up and {@code will} (may be null) is published for it. */
    void detach(MuxedSession session, MqttPublishMessage will) {
        sessions.remove(session);
        sessionCount = sessions.size();
        waitingForRoom.remove(session);
        touched.remove(session);
        for (MuxFilter filter : session.filters.values()) {
            leave(filter, session);
        }
        session.filters.clear();
        if (will != null) {
            if (ready) {
                publish(session, will);
            } else {
                will.release();
            }
        }
        flushSoon();
    }

    /** Whether sessions may send more; if not, {@code session} is told when they may. */
    boolean isWritable(MuxedSession session) {
        boolean writable = ready && channel.isWritable() && queued.isEmpty();
        if (!writable) {
            waitingForRoom.add(session);
        }
        return writable;
    }

    void flushSoon() {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flush); // tasks run after the pass's I/O: one flush for all sessions read in it
        }
    }

    private void flush() {
        flushScheduled = false;
        if (channel != null) {
            channel.flush();
        }
    }

    private int nextPacketId() {
        do {
            lastPacketId = lastPacketId == MAX_PACKET_ID ? 1 : lastPacketId + 1;
        } while (inFlight.containsKey(lastPacketId));
        return lastPacketId;
    }

    // ---- from the broker -------------------------------------------------------------------------

    /** Added as the mux connection's last handler: a keep-alive goes in front of it. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.channel = ctx.channel();
        GatewayClient.watchKeepAlive(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, MAX_PACKET_ID));
        ctx.writeAndFlush(GatewayClient.connect(clientId, address, MqttVersion.MQTT_5, properties));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage message)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (message.decoderResult().isFailure()) {
            ReferenceCountUtil.release(message);
            LOG.log(System.Logger.Level.WARNING, "malformed packet from " + address + " on the mux " + clientId + ": "
                    + Errors.rootMessage(message.decoderResult().cause()) + "; reconnecting");
            ctx.close();
            return;
        }
        switch (message.fixedHeader().messageType()) {
            case CONNACK -> connAck(ctx, (MqttConnAckMessage) message);
            case PUBLISH -> delivered((MqttPublishMessage) message);
            case PUBACK, PUBREC, PUBCOMP -> acknowledged(message);
            case PUBREL -> channel.write(reply(MqttMessageType.PUBCOMP, SessionLink.packetId(message), null),
                    channel.voidPromise());
            case SUBACK -> subAck((MqttSubAckMessage) message);
            case UNSUBACK -> inFlight.remove(SessionLink.packetId(message));
            case DISCONNECT -> {
                LOG.log(System.Logger.Level.WARNING, "upstream broker " + address + " ended the mux " + clientId);
                ctx.close();
            }
            default -> ReferenceCountUtil.release(message); // PINGRESP
        }
    }

    private void connAck(ChannelHandlerContext ctx, MqttConnAckMessage connAck) {
        MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
        MqttProperties properties = connAck.variableHeader().properties();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            LOG.log(System.Logger.Level.WARNING, "upstream broker " + address + " refused the mux " + clientId + ": "
                    + code);
            ctx.close();
            return;
        }
        if (MqttReplies.intProperty(properties, MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1) == 0) {
            LOG.log(System.Logger.Level.ERROR, "upstream broker " + address + " has no Subscription Identifiers,"
                    + " which ?mux=1 needs to route messages; remove ?mux=1 from --upstream");
            ctx.close();
            return;
        }
        brokerReceiveMaximum = MqttReplies.intProperty(properties, MqttProperties.RECEIVE_MAXIMUM, MAX_PACKET_ID);
        deviceConnAck = new MqttConnAckMessage(connAck.fixedHeader(), new MqttConnAckVariableHeader(
                MqttConnectReturnCode.CONNECTION_ACCEPTED, false, MqttReplies.without(properties, MUX_ONLY)));
        ready = true;
        LOG.log(System.Logger.Level.INFO, "mux " + clientId + " connected to " + address + " (the broker takes "
                + brokerReceiveMaximum + " unanswered QoS 1/2 publishes at a time on it)");
        if (brokerReceiveMaximum < LOW_RECEIVE_MAXIMUM && !RECEIVE_MAXIMUM_WARNED.getAndSet(true)) {
            LOG.log(System.Logger.Level.WARNING, "the broker " + address + " takes only " + brokerReceiveMaximum
                    + " unanswered QoS 1/2 publishes per connection: on a mux that bounds the QoS 1 throughput of all"
                    + " devices of a core; raise it (Mosquitto: max_inflight_messages 0)");
        }
        List<Waiter> now = new ArrayList<>(waiters);
        waiters.clear();
        now.forEach(waiter -> waiter.ready().accept(this));
    }

    /** A message for one or more of the mux's filters: each sharing session gets its copy. */
    private void delivered(MqttPublishMessage publish) {
        try {
            MqttProperties properties = publish.variableHeader().properties();
            List<? extends MqttProperties.MqttProperty> ids = properties.getProperties(
                    MqttProperties.SUBSCRIPTION_IDENTIFIER);
            MqttProperties forDevices = MqttReplies.without(properties, Set.of(MqttProperties.SUBSCRIPTION_IDENTIFIER));
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
                    if ((retained && now - share.retainedUntilNanos > 0) || (reached != null && !reached.add(entry.getKey()))) {
                        continue;
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
            // Handed to the sessions: the broker's flow ends here (sessions on a mux are clean, as the broker's would be).
            int packetId = publish.variableHeader().packetId();
            if (qos == 1) {
                channel.write(reply(MqttMessageType.PUBACK, packetId, null), channel.voidPromise());
            } else if (qos == 2) {
                channel.write(reply(MqttMessageType.PUBREC, packetId, null), channel.voidPromise());
            }
        } finally {
            publish.release();
        }
    }

    private void acknowledged(MqttMessage answer) {
        int packetId = SessionLink.packetId(answer);
        MqttMessageType type = answer.fixedHeader().messageType();
        if (!(inFlight.get(packetId) instanceof Outbound outbound)) {
            return; // not ours (the broker is trusted; a stray answer is ignored)
        }
        int reason = SessionLink.reasonCode(answer);
        boolean flowEnds = type != MqttMessageType.PUBREC || reason >= 0x80;
        if (flowEnds) {
            inFlight.remove(packetId);
            publishesInFlight--;
            outbound.session.exactlyOnce.remove(outbound.devicePacketId);
        }
        if (outbound.session.ended()) {
            if (!flowEnds) { // a will or a publish whose session has gone: the gateway finishes the flow
                channel.write(reply(MqttMessageType.PUBREL, packetId, null), channel.voidPromise());
            }
        } else {
            outbound.session.session.fromUpstream(reply(type, outbound.devicePacketId, answer));
            touched.add(outbound.session);
        }
        if (flowEnds) {
            sendQueued();
        }
    }

    private void sendQueued() {
        while (!queued.isEmpty() && hasRoom()) {
            Outbound next = queued.poll();
            MqttPublishMessage publish = next.waiting;
            next.waiting = null;
            send(next, publish);
        }
        if (queued.isEmpty()) {
            roomAgain();
        }
    }

    private void subAck(MqttSubAckMessage subAck) {
        if (!(inFlight.remove(subAck.variableHeader().messageId()) instanceof FilterAnswer answer)) {
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

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        List<MuxedSession> now = new ArrayList<>(touched);
        touched.clear();
        for (MuxedSession session : now) {
            if (!session.ended()) {
                session.session.upstreamFlushComplete();
            }
        }
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && queued.isEmpty()) {
            roomAgain();
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void roomAgain() {
        if (waitingForRoom.isEmpty()) {
            return;
        }
        List<MuxedSession> resume = new ArrayList<>(waitingForRoom);
        waitingForRoom.clear();
        for (MuxedSession session : resume) {
            if (!session.ended()) {
                session.session.upstreamWritabilityChanged();
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        GatewayClient.keepAlive(ctx, event, "the mux " + clientId + " to " + address);
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ready = false;
        ended = true;
        failWaiters("the upstream broker closed the connection");
        queued.forEach(outbound -> outbound.waiting.release());
        queued.clear();
        if (!sessions.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "mux " + clientId + " to " + address + " closed; ending the "
                    + sessions.size() + " device sessions on it (they reconnect; their wills are not published)");
        }
        List<MuxedSession> lost = new ArrayList<>(sessions);
        sessions.clear();
        sessionCount = 0;
        for (MuxedSession session : lost) {
            session.abandon();
            session.session.upstreamClosed();
        }
    }

    /** The connection could not be opened. */
    void connectFailed(String reason) {
        ended = true;
        failWaiters(reason);
    }

    private void failWaiters(String reason) {
        List<Waiter> failed = new ArrayList<>(waiters);
        waiters.clear();
        failed.forEach(waiter -> waiter.failed().accept(reason));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.WARNING, "mux " + clientId + " to " + address + " failed: "
                + Errors.rootMessage(cause));
        ctx.close();
    }

    void close() {
        if (channel != null) {
            GracefulClose.close(channel, MqttMessageBuilders.disconnect().build());
        }
    }

    /** A PUBACK/PUBREC/PUBREL/PUBCOMP under {@code packetId}, with the reason and properties of {@code like} if any. */
    private static MqttMessage reply(MqttMessageType type, int packetId, MqttMessage like) {
        MqttFixedHeader header = new MqttFixedHeader(type, false,
                type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE, false, 0);
        if (like != null && like.variableHeader() instanceof MqttPubReplyMessageVariableHeader answer) {
            return new MqttMessage(header, new MqttPubReplyMessageVariableHeader(packetId, answer.reasonCode(),
                    answer.properties()));
        }
        return new MqttMessage(header, MqttMessageIdVariableHeader.from(packetId));
    }
}
