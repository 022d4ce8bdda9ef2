package io.palisade.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.palisade.core.Errors;
import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import io.palisade.core.policy.RecentDecisions;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One device connection and its relay to the broker. Runs on the device channel's event loop; the
 * upstream channel shares that loop, so no state here needs locking.
 *
 * <p>Life cycle: TLS handshake → identity from the certificate (checked against the registry off the
 * I/O thread) → CONNECT checked ({@link ConnectCheck}) → upstream connection and CONNECT under the same
 * client id → CONNACK relayed → packets relayed both ways, each PUBLISH and SUBSCRIBE from the device
 * checked against policy and quota, each PUBLISH to the device checked against policy (which matters
 * once a live session is quarantined).
 */
final class DeviceSession extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(DeviceSession.class.getName());
    /** Packets a device may send before its session is ready (MQTT lets clients pipeline after CONNECT). */
    private static final int MAX_EARLY_PACKETS = 1000;

    private enum State { HANDSHAKING, AWAITING_CONNECT, CONNECTING, CONNECTED, CLOSED }

    private final GatewayServices gateway;
    private ChannelHandlerContext ctx;
    private Channel upstream;
    private String address = "";
    /** Wall-clock milliseconds: when the session was accepted, and when the device last sent anything. */
    private volatile long connectedAtMillis;
    private volatile long lastSeenMillis;
    private volatile Device device;
    private MqttReplies.Style style = MqttReplies.Style.V3;
    private State state = State.HANDSHAKING;
    private ConnectCheck connectCheck;
    private boolean throttled;
    private DeviceQuota quota;
    /** Decides the device's publishes (set once its identity is known). */
    private PublishGate gate;
    /** May a message from the broker reach the device (quarantine withholds): recent decisions kept. */
    private RecentDecisions deliveries;
    private ScheduledFuture<?> connectDeadline;
    private final ArrayDeque<MqttMessage> early = new ArrayDeque<>();
    private final Map<Integer, SubscribeSplit> pendingSubscribes = new HashMap<>();
    private final QosFlows flows;
    private final TopicAliases aliases;
    private final Set<String> subscriptions = new HashSet<>();
    /** Set once the upstream connection is being ended (gracefully): nothing more goes to it. */
    private boolean upstreamEnding;
    /** Present when an MQTT 5 device is carried over a broker that speaks only 3.1.1. */
    private Mqtt5Over311 over311;
    /** The shared connection that carries this session's QoS 0 publishes, when lanes are on ({@link PublishLane}). */
    private PublishLane lane;
    /** The lane's buffer is full: reading waits until it drains. */
    private boolean laneFull;

    DeviceSession(GatewayServices gateway) {
        this.gateway = gateway;
        this.flows = new QosFlows(gateway.limits().maxInflight());
        this.aliases = new TopicAliases(gateway.limits().maxTopicAliases());
    }

    DeviceId deviceId() {
        return device.id();
    }

    // ---- device channel events -------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) throws Exception {
        address = Addresses.remote(context.channel());
        connectDeadline = context.executor().schedule(this::connectDeadlinePassed,
                gateway.limits().connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        super.channelActive(context);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                authenticate();
            } else {
                gateway.traffic().handshakeFailed(address);
                gateway.events().emitLimited(EventType.AUTH_FAILED, Severity.MEDIUM, null, address,
                        "TLS handshake on the MQTT port failed: " + Errors.rootMessage(handshake.cause()));
                context.close();
            }
        } else if (event instanceof IdleStateEvent) {
            LOG.log(System.Logger.Level.DEBUG, "device " + device.id() + " silent beyond its keep-alive; closing");
            close(null);
        }
        super.userEventTriggered(context, event);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof MqttMessage message)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (state == State.HANDSHAKING || state == State.CONNECTING) {
            if (early.size() >= MAX_EARLY_PACKETS) {
                ReferenceCountUtil.release(message);
                violation("more than " + MAX_EARLY_PACKETS + " packets before the session was ready");
                return;
            }
            early.add(message);
            return;
        }
        handle(message);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        lastSeenMillis = System.currentTimeMillis(); // once per read batch, not per packet
        context.flush();
        if (upstream != null) {
            upstream.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (upstream != null) {
            upstream.config().setAutoRead(context.channel().isWritable());
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        state = State.CLOSED;
        if (connectDeadline != null) {
            connectDeadline.cancel(false);
        }
        early.forEach(ReferenceCountUtil::release);
        early.clear();
        if (lane != null) {
            lane.unbind(this);
        }
        if (device != null) {
            gateway.sessions().unregister(this);
            gateway.traffic().disconnected(device.id());
        }
        // Ending without DISCONNECT makes the broker publish the device's will, as MQTT requires for a
        // connection that ends without one; a DISCONNECT from the device was forwarded already.
        endUpstream(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "device connection from " + address + " failed: " + Errors.rootMessage(cause));
        close(null);
    }

    // ---- identity --------------------------------------------------------------------------------

    private void authenticate() {
        List<X509Certificate> chain = gateway.peerCertificates().of(ctx);
        updateReading();
        gateway.blockingExecutor().execute(() -> {
            DeviceAuthenticator.Result result = gateway.authenticator().authenticate(chain);
            ctx.executor().execute(() -> authenticated(result));
        });
    }

    private void authenticated(DeviceAuthenticator.Result result) {
        if (state == State.CLOSED) {
            return;
        }
        if (result.device().isEmpty()) {
            gateway.events().emitRefusedIdentity(result.claimed().orElse(null), address,
                    "device connection refused: " + result.reason());
            close(null);
            return;
        }
        device = result.device().get();
        gateway.traffic().connected(device);
        state = State.AWAITING_CONNECT;
        quota = gateway.quotas().of(device.id(), System.nanoTime());
        gateway.sessions().restriction(device.id()).ifPresent(r -> quota.restrict(r[0], (long) r[1]));
        gate = new PublishGate(address, gateway.policies(), quota, flows, gateway.events(), gateway.traffic());
        deliveries = new RecentDecisions(gateway.policies(), io.palisade.core.policy.Action.SUBSCRIBE);
        drainEarly();
        updateReading();
    }

    // ---- packets from the device -----------------------------------------------------------------

    private void drainEarly() {
        MqttMessage next;
        while ((state == State.AWAITING_CONNECT || state == State.CONNECTED) && (next = early.poll()) != null) {
            handle(next);
        }
        ctx.flush();
        if (upstream != null) {
            upstream.flush();
        }
    }

    private void handle(MqttMessage message) {
        if (state == State.CLOSED) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message.decoderResult().isFailure()) {
            ReferenceCountUtil.release(message);
            malformed(message.decoderResult().cause());
            return;
        }
        MqttMessageType type = message.fixedHeader().messageType();
        if (state == State.AWAITING_CONNECT) {
            if (type == MqttMessageType.CONNECT) {
                connect((MqttConnectMessage) message);
            } else {
                ReferenceCountUtil.release(message);
                violation("the first packet was " + type + ", not CONNECT");
            }
            return;
        }
        switch (type) {
            case PUBLISH -> publish((MqttPublishMessage) message);
            case SUBSCRIBE -> subscribe((MqttSubscribeMessage) message);
            case UNSUBSCRIBE -> unsubscribe((MqttUnsubscribeMessage) message);
            case PUBREL -> pubrelFromDevice(message);
            case PUBACK, PUBREC, PUBCOMP, PINGREQ -> upstream.write(message);
            case DISCONNECT -> {
                // A normal end: everything the device sent before reaches the broker, then the DISCONNECT
                // (so the broker discards the will), and only then does the upstream connection end. A 3.1.1
                // broker learns "publish my will" (MQTT 5 reason 0x04) only from an end without DISCONNECT.
                state = State.CLOSED;
                if (over311 != null && Mqtt5Over311.wantsWill(message)) {
                    ReferenceCountUtil.release(message);
                    endUpstream(null);
                } else {
                    endUpstream(message);
                }
                ctx.close();
            }
            case CONNECT -> violation("a second CONNECT on the same connection");
            default -> {
                ReferenceCountUtil.release(message);
                violation("a " + type + " packet, which clients do not send");
            }
        }
    }

    private void connect(MqttConnectMessage connect) {
        ConnectCheck check = ConnectCheck.of(connect, device, gateway.policies(), gateway.limits(),
                gateway.upstream().address().speaksMqtt5());
        style = check.replyStyle();
        if (check.refusal() != null) {
            if (check.eventType() != null) {
                gateway.events().emit(check.eventType(), Severity.HIGH, device.id(), address,
                        "CONNECT refused: " + check.reason());
            } else {
                LOG.log(System.Logger.Level.INFO, "CONNECT of device " + device.id() + " refused: " + check.reason());
            }
            refuseConnect(check.refusal(), check.reason());
            return;
        }
        over311 = check.over311() ? new Mqtt5Over311() : null;
        if (!gateway.quotas().admitConnect(device.id())) {
            gateway.events().emitLimited(EventType.QUOTA_EXCEEDED, Severity.MEDIUM, device.id(), address,
                    "CONNECT refused: device " + device.id() + " reconnects faster than "
                            + gateway.limits().connectsPerSecondPerDevice() + "/s");
            refuseConnect(MqttReplies.ConnectRefusal.QUOTA_EXCEEDED, "reconnecting too often");
            return;
        }
        connectCheck = check;
        state = State.CONNECTING;
        updateReading();
        int keepAlive = check.effectiveKeepAliveSeconds();
        ctx.pipeline().addBefore(ctx.name(), "keep-alive",
                new IdleStateHandler(keepAlive * 3L / 2, 0, 0, TimeUnit.SECONDS));
        gateway.upstream().connect(ctx.channel().eventLoop(), new UpstreamHandler(this)).addListener(
                (ChannelFutureListener) future -> {
                    if (!future.isSuccess()) {
                        LOG.log(System.Logger.Level.WARNING, "upstream broker " + gateway.upstream().address()
                                + " unreachable for device " + device.id() + ": " + Errors.rootMessage(future.cause()));
                        refuseUnavailable("the upstream broker is unavailable");
                        future.channel().close();
                        return;
                    }
                    if (state == State.CLOSED) {
                        future.channel().close();
                        return;
                    }
                    upstream = future.channel();
                    upstream.writeAndFlush(check.upstreamConnect(gateway.upstream().address()));
                });
    }

    private void refuseUnavailable(String reason) {
        if (state != State.CLOSED) {
            refuseConnect(MqttReplies.ConnectRefusal.SERVER_UNAVAILABLE, reason);
        }
    }

    private void refuseConnect(MqttReplies.ConnectRefusal refusal, String reason) {
        state = State.CLOSED;
        closeDevice(MqttReplies.connAckRefused(style, refusal, reason));
    }

    private void publish(MqttPublishMessage publish) {
        int alias = TopicAliases.aliasOf(publish);
        TopicAliases.Resolution resolved = aliases.resolve(publish.variableHeader().topicName(), alias);
        if (!resolved.ok()) {
            publish.release();
            violation(MqttReplies.TOPIC_ALIAS_INVALID, resolved.error());
            return;
        }
        String topic = resolved.topic();
        int qos = publish.fixedHeader().qosLevel().value();
        int packetId = publish.variableHeader().packetId();
        PublishGate.Verdict verdict = gate.publish(device, topic, qos, packetId, publish.fixedHeader().isDup(),
                publish.payload().nioBuffer(), over311 == null ? null : Mqtt5Over311.uncarriedProperty(publish),
                System.nanoTime());
        if (verdict instanceof PublishGate.Forward forward) {
            pauseReading(forward.pauseNanos());
            MqttPublishMessage relayed = alias == TopicAliases.NONE ? publish : TopicAliases.withFullTopic(publish, topic);
            if (qos == 0 && lane != null) {
                toLane(relayed);
            } else {
                upstream.write(relayed);
            }
            return;
        }
        publish.release();
        if (verdict instanceof PublishGate.Refuse refuse) {
            pauseReading(refuse.pauseNanos());
            refusePublish(qos, packetId, refuse.reasonCode());
        } else if (verdict instanceof PublishGate.Close close) {
            close(MqttReplies.disconnect(style, close.reasonCode(), close.reason()));
        }
    }

    /**
     * MQTT 5 gets the reason code (0x87 not authorized, 0x83 not carried). MQTT 3.1.1 cannot refuse a
     * publish: QoS 0 is dropped; QoS 1 and 2 are acknowledged and dropped, as Mosquitto does, so that the
     * device's session goes on; the gate reported why (acl.denied carries the full reason; the reply's
     * reason string would be short).
     */
    private void refusePublish(int qos, int packetId, byte reasonCode) {
        if (qos == 1) {
            ctx.write(MqttReplies.pubReply(MqttMessageType.PUBACK, packetId, style, reasonCode));
        } else if (qos == 2) {
            ctx.write(MqttReplies.pubReply(MqttMessageType.PUBREC, packetId, style, reasonCode));
        }
    }

    private void toLane(MqttPublishMessage publish) {
        if (!lane.write(publish)) {
            laneFull = true;
            lane.awaitWritable(this);
            updateReading();
        }
    }

    /** The lane has room again (called on this session's loop). */
    void laneDrained() {
        laneFull = false;
        updateReading();
    }

    /** The lane's connection ended: publishes on it may be lost, so the session ends as with its own broker connection. */
    void laneLost() {
        lane = null;
        laneFull = false;
        if (state == State.CONNECTED) {
            LOG.log(System.Logger.Level.INFO, "QoS 0 lane of device " + device.id() + " closed; closing the device"
                    + " connection");
            close(MqttReplies.disconnect(style, MqttReplies.UNSPECIFIED_ERROR, "the upstream broker closed the session"));
        }
    }

    private void pubrelFromDevice(MqttMessage pubrel) {
        int packetId = packetId(pubrel);
        if (flows.pubrelAnsweredByGateway(packetId)) {
            ctx.write(MqttReplies.pubReply(MqttMessageType.PUBCOMP, packetId, style, (byte) 0));
        } else {
            upstream.write(pubrel);
        }
    }

    private void subscribe(MqttSubscribeMessage subscribe) {
        var topics = subscribe.payload().topicSubscriptions();
        if (over311 != null
                && Mqtt5Over311.hasSubscriptionIdentifier(subscribe.idAndPropertiesVariableHeader().properties())) {
            violation(Mqtt5Over311.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED,
                    "a Subscription Identifier, which the CONNACK said is unavailable");
            return;
        }
        int[] refused = new int[topics.size()];
        int accepted = 0;
        for (int i = 0; i < topics.size(); i++) {
            refused[i] = over311 != null ? Mqtt5Over311.refusalOf(topics.get(i))
                    : lane != null ? PublishLane.refusalOf(topics.get(i)) : SubscriptionCheck.ACCEPTED;
            if (refused[i] >= 0) {
                continue;
            }
            refused[i] = SubscriptionCheck.refusalCode(topics.get(i).topicFilter(), device, style.version(),
                    gateway.policies(), subscriptions.size() + accepted, gateway.limits().maxSubscriptions(),
                    this::subscriptionRefused);
            if (refused[i] < 0) {
                accepted++;
            }
        }
        SubscribeSplit split = new SubscribeSplit(subscribe.variableHeader().messageId(), refused, topics);
        if (!split.forwardsAnything()) {
            ctx.write(split.refusedOnly());
            return;
        }
        split.forwarded().forEach(t -> {
            subscriptions.add(t.topicFilter());
            gateway.traffic().subscribed(device.id(), t.topicFilter());
        });
        pendingSubscribes.put(subscribe.variableHeader().messageId(), split);
        upstream.write(split.upstreamSubscribe(subscribe.idAndPropertiesVariableHeader().properties()));
    }

    private void subscriptionRefused(EventType type, String reason) {
        gateway.events().emit(type, Severity.MEDIUM, device.id(), address, reason);
    }

    private void unsubscribe(MqttUnsubscribeMessage unsubscribe) {
        subscriptions.removeAll(unsubscribe.payload().topics());
        if (over311 != null) {
            over311.unsubscribing(unsubscribe.variableHeader().messageId(), unsubscribe.payload().topics().size());
        }
        upstream.write(unsubscribe);
    }

    // ---- packets from the broker -----------------------------------------------------------------

    void fromUpstream(MqttMessage message) {
        if (state == State.CLOSED || message.decoderResult().isFailure()) {
            ReferenceCountUtil.release(message);
            if (state != State.CLOSED) {
                LOG.log(System.Logger.Level.WARNING, "malformed packet from the upstream broker for device "
                        + device.id() + ": " + Errors.rootMessage(message.decoderResult().cause()));
                close(MqttReplies.disconnect(style, MqttReplies.UNSPECIFIED_ERROR, "upstream broker protocol error"));
            }
            return;
        }
        switch (message.fixedHeader().messageType()) {
            case CONNACK -> connAck((MqttConnAckMessage) message);
            case PUBLISH -> deliver((MqttPublishMessage) message);
            case PUBACK -> {
                flows.pubAckFromBroker(packetId(message));
                ctx.write(message);
            }
            case PUBREC -> {
                flows.pubRecFromBroker(packetId(message), reasonCode(message));
                ctx.write(message);
            }
            case PUBCOMP -> {
                flows.pubCompFromBroker(packetId(message));
                ctx.write(message);
            }
            case PUBREL -> pubrelFromUpstream(message);
            case SUBACK -> subAck((MqttSubAckMessage) message);
            case UNSUBACK -> ctx.write(over311 == null ? message : over311.unsubAck(message));
            case DISCONNECT -> {
                state = State.CLOSED;
                closeDevice(message);
                endUpstream(null);
            }
            default -> ctx.write(message);
        }
    }

    private void connAck(MqttConnAckMessage connAck) {
        if (state != State.CONNECTING) {
            close(MqttReplies.disconnect(style, MqttReplies.PROTOCOL_ERROR, "unexpected CONNACK from the upstream broker"));
            return;
        }
        MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            LOG.log(System.Logger.Level.WARNING, "upstream broker refused device " + device.id() + ": " + code);
            state = State.CLOSED;
            closeDevice(connectCheck.deviceConnAckRefused(connAck));
            return;
        }
        if (connectDeadline != null) {
            connectDeadline.cancel(false);
        }
        state = State.CONNECTED;
        flows.limit(connectCheck.receiveMaximum(connAck, gateway.limits()));
        lane = gateway.lanes().laneFor(ctx.channel().eventLoop()).orElse(null);
        if (lane != null) {
            lane.bind(this);
        }
        ctx.write(connectCheck.deviceConnAck(connAck, gateway.limits()));
        connectedAtMillis = System.currentTimeMillis();
        lastSeenMillis = connectedAtMillis;
        gateway.sessions().register(this);
        gateway.events().emit(EventType.AUTH_SUCCEEDED, Severity.INFO, device.id(), address,
                "device " + device.id() + " connected over MQTT " + (style.v5() ? "5" : "3.1.1"));
        drainEarly();
        updateReading();
    }

    private void deliver(MqttPublishMessage publish) {
        String topic = publish.variableHeader().topicName();
        int qos = publish.fixedHeader().qosLevel().value();
        int packetId = publish.variableHeader().packetId();
        // A 3.1.1 broker does not know the device's Maximum Packet Size: MQTT 5 says a packet too large for the
        // device is dropped as if delivered, which is what withholding does.
        boolean fits = over311 == null || Mqtt5Over311.deliveredSize(publish) <= style.maxPacketBytes();
        if (fits && deliveries.decide(device, topic).allowed()) {
            if (qos == 2) {
                flows.deliveredToDevice(packetId);
            }
            gateway.traffic().delivered(device.id(), publish.payload().readableBytes());
            ctx.write(publish);
            return;
        }
        // Withheld (the device was quarantined after subscribing, or the packet is too large for it):
        // acknowledge to the broker ourselves.
        publish.release();
        if (qos == 1) {
            upstream.write(MqttReplies.pubReply(MqttMessageType.PUBACK, packetId, style, (byte) 0));
        } else if (qos == 2) {
            flows.withheldFromDevice(packetId);
            upstream.write(MqttReplies.pubReply(MqttMessageType.PUBREC, packetId, style, (byte) 0));
        }
    }

    private void pubrelFromUpstream(MqttMessage pubrel) {
        int packetId = packetId(pubrel);
        if (flows.pubrelOfWithheld(packetId)) {
            upstream.write(MqttReplies.pubReply(MqttMessageType.PUBCOMP, packetId, style, (byte) 0));
        } else {
            ctx.write(pubrel);
        }
    }

    private static int packetId(MqttMessage message) {
        return ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
    }

    /** The reason code of a PUBACK/PUBREC/PUBCOMP (0, success, when it has none: MQTT 3.1.1 or a short form). */
    private static int reasonCode(MqttMessage message) {
        return message.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply ? reply.reasonCode() & 0xFF
                : 0;
    }

    private void subAck(MqttSubAckMessage subAck) {
        SubscribeSplit split = pendingSubscribes.remove(subAck.variableHeader().messageId());
        if (split == null) {
            ctx.write(subAck);
            return;
        }
        ctx.write(split.merge(subAck.payload().reasonCodes(), subAck.idAndPropertiesVariableHeader().properties()));
    }

    void upstreamFlushComplete() {
        ctx.flush();
    }

    void upstreamWritabilityChanged() {
        updateReading();
    }

    void upstreamClosed() {
        if (state == State.CONNECTING) {
            refuseUnavailable("the upstream broker closed the connection");
        } else if (state == State.CONNECTED) {
            LOG.log(System.Logger.Level.INFO, "upstream connection of device " + device.id() + " closed; closing"
                    + " the device connection");
            close(MqttReplies.disconnect(style, MqttReplies.UNSPECIFIED_ERROR, "the upstream broker closed the session"));
        }
    }

    void upstreamFailed(Throwable cause) {
        LOG.log(System.Logger.Level.WARNING, "upstream connection of device " + (device == null ? address : device.id())
                + " failed: " + Errors.rootMessage(cause));
    }

    // ---- control-plane decisions -----------------------------------------------------------------

    /** Closes the session at once (revocation); safe to call from any thread. */
    void kick(String reason) {
        ctx.executor().execute(() -> {
            LOG.log(System.Logger.Level.INFO, "closing session of " + device.id() + ": " + reason);
            close(MqttReplies.disconnect(style, MqttReplies.ADMINISTRATIVE_ACTION, reason));
        });
    }

    /** A detection response: the quota is cut from the next PUBLISH on (run on the session's thread). */
    void restrictQuota(double factor, long untilNanos) {
        ctx.executor().execute(() -> {
            if (quota != null) {
                quota.restrict(factor, untilNanos);
            }
        });
    }

    /** New standing (quarantine, release): applies from the next packet in either direction. */
    void updateDevice(Device changed) {
        device = changed;
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** Stops reading from the device for {@code pauseNanos} (its quota; the gate reported it). */
    private void pauseReading(long pauseNanos) {
        if (pauseNanos <= 0) {
            return;
        }
        throttled = true;
        updateReading();
        ctx.executor().schedule(() -> {
            throttled = false;
            updateReading();
        }, pauseNanos, TimeUnit.NANOSECONDS);
    }

    private void updateReading() {
        boolean read = (state == State.AWAITING_CONNECT || state == State.CONNECTED) && !throttled && !laneFull
                && (upstream == null || upstream.isWritable());
        ctx.channel().config().setAutoRead(read);
    }

    private void connectDeadlinePassed() {
        if (state != State.CONNECTED && state != State.CLOSED) {
            gateway.events().emitLimited(EventType.PROTOCOL_VIOLATION, Severity.LOW,
                    device == null ? null : device.id(), address,
                    "no complete MQTT CONNECT within " + gateway.limits().connectTimeout().toSeconds() + " s");
            close(null);
        }
    }

    private void malformed(Throwable cause) {
        String reason = Errors.rootMessage(cause);
        boolean tooLarge = cause instanceof io.netty.handler.codec.TooLongFrameException;
        gateway.events().emit(EventType.PROTOCOL_VIOLATION, Severity.MEDIUM, device == null ? null : device.id(),
                address, "malformed MQTT packet: " + reason);
        close(MqttReplies.disconnect(style, tooLarge ? MqttReplies.PACKET_TOO_LARGE : MqttReplies.MALFORMED_PACKET,
                tooLarge ? "packet too large" : "malformed packet"));
    }

    private void violation(String what) {
        violation(MqttReplies.PROTOCOL_ERROR, what);
    }

    private void violation(byte reasonCode, String what) {
        gateway.events().emit(EventType.PROTOCOL_VIOLATION, Severity.MEDIUM, device == null ? null : device.id(),
                address, "MQTT protocol violation: " + what);
        close(MqttReplies.disconnect(style, reasonCode, what));
    }

    /**
     * Ends both connections; MQTT 5 devices first get {@code lastWord} (a DISCONNECT with a reason). The
     * broker gets no DISCONNECT, so it publishes the device's will, but everything already relayed reaches it.
     */
    private void close(MqttMessage lastWord) {
        boolean wasConnected = state == State.CONNECTED;
        state = State.CLOSED;
        if (lastWord != null && style.v5() && wasConnected) {
            closeDevice(lastWord);
        } else {
            ReferenceCountUtil.release(lastWord);
            closeDevice(null);
        }
        endUpstream(null);
    }

    /**
     * Ends the device connection after everything written to it, {@code lastPacket} (may be null) last.
     * Unlike the broker side, the gateway does not linger reading: a device being cut off (often for
     * flooding) could keep it decrypting for seconds, and a reset can only cost that device its own reply.
     */
    private void closeDevice(MqttMessage lastPacket) {
        if (lastPacket == null) {
            ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(lastPacket).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Ends the upstream connection once, after {@code lastPacket} (a DISCONNECT, or null for none). */
    private void endUpstream(MqttMessage lastPacket) {
        if (upstream == null || upstreamEnding) {
            ReferenceCountUtil.release(lastPacket);
            return;
        }
        upstreamEnding = true;
        GracefulClose.close(upstream, lastPacket);
    }

    /** The session as the control plane shows it. */
    io.palisade.core.device.DeviceConnections.Connection connection(boolean open) {
        return new io.palisade.core.device.DeviceConnections.Connection(open,
                java.time.Instant.ofEpochMilli(connectedAtMillis), address,
                java.time.Instant.ofEpochMilli(open ? lastSeenMillis : Math.max(lastSeenMillis, connectedAtMillis)));
    }
}
