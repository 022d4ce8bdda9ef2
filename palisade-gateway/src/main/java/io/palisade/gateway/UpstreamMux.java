package io.palisade.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.util.ReferenceCountUtil;
import io.palisade.core.Errors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One MQTT 5 connection to the broker that carries every device session of one event loop
 * ({@code --upstream mqtt://...?mux=1}), so that a session costs the gateway one descriptor, not two.
 *
 * <p>What the mux does in the broker's stead for each session ({@link MuxedSession}): it answers CONNECT
 * (with the broker's own CONNACK, session not present: sessions on a mux are clean) and PINGREQ; it gives
 * each device's QoS 1 and 2 publish a packet id of the mux's and hands the broker's answer back under the
 * device's id, within the broker's Receive Maximum ({@link MuxOutbound}); it subscribes upstream once per topic
 * filter and routes each message the broker sends to exactly the sessions sharing its filters
 * ({@link MuxSubscriptions}), under each session's own packet ids; it acknowledges the broker when it has
 * handed a message to the sessions, and consumes the devices' acknowledgements; it publishes a session's will
 * when the session ends without DISCONNECT. This class keeps the connection's life cycle and the sessions.
 *
 * <p>What the broker then sees: one client ({@code palisade-mux-...}) with the gateway's credentials
 * publishing for many devices, as with {@link PublishLane}; the gateway's policy has decided each publish. An
 * MQTT 5 "No Local" subscription and shared subscriptions are refused. When the connection ends, its
 * sessions end as if their own broker connection had (they reconnect), and their wills are not published.
 *
 * <p>All methods run on the mux's event loop, which its sessions share.
 */
final class UpstreamMux extends ChannelInboundHandlerAdapter implements PerLoopConnections.Shared {

    private static final System.Logger LOG = System.getLogger(UpstreamMux.class.getName());
    /** Broker CONNACK properties that concern the mux's own connection, not the devices'. */
    private static final Set<Integer> MUX_ONLY = Set.of(MqttProperties.RECEIVE_MAXIMUM,
            MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, MqttProperties.SERVER_KEEP_ALIVE, MqttProperties.REASON_STRING,
            MqttProperties.RESPONSE_INFORMATION, MqttProperties.SESSION_EXPIRY_INTERVAL);
    /** Below this, the broker's Receive Maximum is what limits the devices' QoS 1 throughput (warned once). */
    private static final int LOW_RECEIVE_MAXIMUM = 1000;
    private static final java.util.concurrent.atomic.AtomicBoolean RECEIVE_MAXIMUM_WARNED =
            new java.util.concurrent.atomic.AtomicBoolean();

    private record Waiter(Consumer<UpstreamMux> ready, Consumer<String> failed) {
    }

    private final EventLoop loop;
    private final String clientId;
    private final UpstreamAddress address;
    private final Runnable flush = this::flush;
    private Channel channel;
    private MuxOutbound outbound;
    private MuxSubscriptions subscriptions;
    private boolean ready;
    private volatile boolean ended;
    private MqttConnAckMessage deviceConnAck;
    private final List<Waiter> waiters = new ArrayList<>();
    private final Set<MuxedSession> sessions = new HashSet<>();
    private volatile int sessionCount;
    private final Set<MuxedSession> waitingForRoom = new LinkedHashSet<>();
    /** Sessions handed something in this read pass: flushed once at its end. */
    private final Set<MuxedSession> touched = new LinkedHashSet<>();
    private boolean flushScheduled;

    UpstreamMux(EventLoop loop, String clientId, UpstreamAddress address) {
        this.loop = loop;
        this.clientId = clientId;
        this.address = address;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public boolean ended() {
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
        outbound.publish(session, publish);
    }

    void pubrel(MuxedSession session, int devicePacketId) {
        outbound.pubrel(session, devicePacketId);
    }

    void subscribe(MuxedSession session, MqttSubscribeMessage subscribe) {
        subscriptions.subscribe(session, subscribe);
    }

    void unsubscribe(MuxedSession session, MqttUnsubscribeMessage unsubscribe) {
        subscriptions.unsubscribe(session, unsubscribe);
    }

    /** The session ended: its subscriptions are given up and {@code will} (may be null) is published for it. */
    void detach(MuxedSession session, MqttPublishMessage will) {
        sessions.remove(session);
        sessionCount = sessions.size();
        waitingForRoom.remove(session);
        touched.remove(session);
        subscriptions.leaveAll(session);
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
        boolean writable = ready && channel.isWritable() && outbound.nothingQueued();
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

    // ---- from the broker -------------------------------------------------------------------------

    /** Added as the mux connection's last handler: a keep-alive goes in front of it. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.channel = ctx.channel();
        MuxPacketIds packetIds = new MuxPacketIds();
        this.outbound = new MuxOutbound(channel, packetIds, touched, this::roomAgain);
        this.subscriptions = new MuxSubscriptions(channel, packetIds, touched, () -> ready);
        GatewayClient.watchKeepAlive(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, MuxPacketIds.MAX));
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
            case PUBACK, PUBREC, PUBCOMP -> outbound.acknowledged(message);
            case PUBREL -> channel.write(MqttReplies.relayedPubReply(MqttMessageType.PUBCOMP,
                    SessionLink.packetId(message), null), channel.voidPromise());
            case SUBACK -> subscriptions.subAck((MqttSubAckMessage) message);
            case UNSUBACK -> subscriptions.unsubAck(SessionLink.packetId(message));
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
        int brokerReceiveMaximum = MqttReplies.intProperty(properties, MqttProperties.RECEIVE_MAXIMUM,
                MuxPacketIds.MAX);
        outbound.brokerReceiveMaximum(brokerReceiveMaximum);
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

    /** A message for one or more of the mux's filters: each sharing session gets its copy, then the broker its answer. */
    private void delivered(MqttPublishMessage publish) {
        try {
            subscriptions.route(publish);
            // Handed to the sessions: the broker's flow ends here (sessions on a mux are clean, as the broker's would be).
            int packetId = publish.variableHeader().packetId();
            int qos = publish.fixedHeader().qosLevel().value();
            if (qos == 1) {
                channel.write(MqttReplies.relayedPubReply(MqttMessageType.PUBACK, packetId, null), channel.voidPromise());
            } else if (qos == 2) {
                channel.write(MqttReplies.relayedPubReply(MqttMessageType.PUBREC, packetId, null), channel.voidPromise());
            }
        } finally {
            publish.release();
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
        if (ctx.channel().isWritable() && outbound.nothingQueued()) {
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
        outbound.dropQueued();
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
    @Override
    public void connectFailed(String reason) {
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

    @Override
    public void close() {
        if (channel != null) {
            GracefulClose.close(channel, MqttMessageBuilders.disconnect().build());
        }
    }
}
