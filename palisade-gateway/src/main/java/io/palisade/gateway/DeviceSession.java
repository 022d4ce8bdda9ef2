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
    private volatile Device device;
    private MqttVersion version = MqttVersion.MQTT_3_1_1;
    private State state = State.HANDSHAKING;
    private ConnectCheck connectCheck;
    private boolean throttled;
    private DeviceQuota quota;
    private ScheduledFuture<?> connectDeadline;
    private final ArrayDeque<MqttMessage> early = new ArrayDeque<>();
    private final Map<Integer, SubscribeSplit> pendingSubscribes = new HashMap<>();
    private final Set<Integer> inflight = new HashSet<>();
    /** QoS 2 publishes from the device that the gateway refused: a PUBREL for them is answered here. */
    private final Set<Integer> refusedQos2 = new HashSet<>();
    /** QoS 2 deliveries from the broker that policy withheld from the device: their PUBREL is answered here. */
    private final Set<Integer> withheldQos2 = new HashSet<>();
    private final Set<String> subscriptions = new HashSet<>();

    DeviceSession(GatewayServices gateway) {
        this.gateway = gateway;
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
        if (device != null) {
            gateway.sessions().unregister(this);
            gateway.traffic().disconnected(device.id());
        }
        // Closing without DISCONNECT makes the broker publish the device's will, as MQTT requires for
        // a connection that ends without one; a DISCONNECT from the device was forwarded already.
        if (upstream != null) {
            upstream.close();
        }
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
            gateway.events().emit(EventType.AUTH_FAILED, Severity.HIGH, result.claimed().orElse(null), address,
                    "device connection refused: " + result.reason());
            close(null);
            return;
        }
        device = result.device().get();
        state = State.AWAITING_CONNECT;
        quota = new DeviceQuota(gateway.limits(), System.nanoTime());
        gateway.sessions().restriction(device.id()).ifPresent(r -> quota.restrict(r[0], (long) r[1]));
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
                // A normal end: the broker discards the will; the upstream closing is no news.
                state = State.CLOSED;
                upstream.writeAndFlush(message).addListener(ChannelFutureListener.CLOSE);
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
        ConnectCheck check = ConnectCheck.of(connect, device, gateway.policies(), gateway.limits());
        version = check.version();
        if (check.refusal() != null) {
            gateway.events().emit(check.eventType(), Severity.HIGH, device.id(), address,
                    "CONNECT refused: " + check.reason());
            ctx.writeAndFlush(MqttReplies.connAckRefused(version, check.refusal(), check.reason()))
                    .addListener(ChannelFutureListener.CLOSE);
            state = State.CLOSED;
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
            ctx.writeAndFlush(MqttReplies.connAckRefused(version, MqttReplies.ConnectRefusal.SERVER_UNAVAILABLE,
                    reason)).addListener(ChannelFutureListener.CLOSE);
            state = State.CLOSED;
        }
    }

    private void publish(MqttPublishMessage publish) {
        String topic = publish.variableHeader().topicName();
        int qos = publish.fixedHeader().qosLevel().value();
        int packetId = publish.variableHeader().packetId();
        if (!io.palisade.core.policy.TopicFilters.isValidTopicName(topic)) {
            publish.release();
            violation("PUBLISH to an invalid topic name (empty, wildcards, NUL or topic alias)");
            return;
        }
        DeviceQuota.Verdict verdict = quota.charge(publish.payload().readableBytes(), System.nanoTime());
        if (verdict instanceof DeviceQuota.Disconnect disconnect) {
            publish.release();
            gateway.events().emit(EventType.QUOTA_EXCEEDED, Severity.HIGH, device.id(), address,
                    "device " + device.id() + " disconnected: " + disconnect.reason());
            close(MqttReplies.disconnect(MqttReplies.QUOTA_EXCEEDED, disconnect.reason()));
            return;
        }
        if (verdict instanceof DeviceQuota.Throttle throttle) {
            throttle(throttle.pauseNanos());
        }
        var decision = gateway.policies().decide(device, io.palisade.core.policy.Action.PUBLISH, topic);
        if (!decision.allowed()) {
            publish.release();
            gateway.events().emit(EventType.ACL_DENIED, Severity.MEDIUM, device.id(), address, decision.reason());
            refusePublish(qos, packetId, decision.reason());
            return;
        }
        if (qos > 0) {
            if (!inflight.add(packetId) || inflight.size() > gateway.limits().maxInflight()) {
                publish.release();
                String reason = "more than " + gateway.limits().maxInflight() + " unacknowledged QoS 1/2 publishes";
                gateway.events().emit(EventType.QUOTA_EXCEEDED, Severity.MEDIUM, device.id(), address,
                        "device " + device.id() + " disconnected: " + reason);
                close(MqttReplies.disconnect(MqttReplies.RECEIVE_MAXIMUM_EXCEEDED, reason));
                return;
            }
        }
        gateway.traffic().published(device.id(), topic, publish.payload().nioBuffer());
        upstream.write(publish);
    }

    /**
     * MQTT 5 gets reason code 0x87. MQTT 3.1.1 cannot refuse a publish: QoS 0 is dropped; QoS 1 and 2
     * are acknowledged and dropped, as Mosquitto does, so that the device's session goes on; either way
     * the denial is an acl.denied event.
     */
    private void refusePublish(int qos, int packetId, String reason) {
        if (qos == 1) {
            ctx.write(MqttReplies.pubReply(MqttMessageType.PUBACK, packetId, version, MqttReplies.NOT_AUTHORIZED,
                    reason));
        } else if (qos == 2) {
            ctx.write(MqttReplies.pubReply(MqttMessageType.PUBREC, packetId, version, MqttReplies.NOT_AUTHORIZED,
                    reason));
            // 3.1.1 devices continue with PUBREL; some MQTT 5 clients do too despite the error code. The
            // broker never saw this packet id, so the PUBREL is answered here, never forwarded.
            refusedQos2.add(packetId);
        }
    }

    private void pubrelFromDevice(MqttMessage pubrel) {
        int packetId = ((MqttMessageIdVariableHeader) pubrel.variableHeader()).messageId();
        if (refusedQos2.remove(packetId)) {
            ctx.write(MqttReplies.pubReply(MqttMessageType.PUBCOMP, packetId, version, (byte) 0, ""));
        } else {
            upstream.write(pubrel);
        }
    }

    private void subscribe(MqttSubscribeMessage subscribe) {
        var topics = subscribe.payload().topicSubscriptions();
        int[] refused = new int[topics.size()];
        int accepted = 0;
        for (int i = 0; i < topics.size(); i++) {
            refused[i] = SubscriptionCheck.refusalCode(topics.get(i).topicFilter(), device, version,
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
        upstream.write(unsubscribe);
    }

    // ---- packets from the broker -----------------------------------------------------------------

    void fromUpstream(MqttMessage message) {
        if (state == State.CLOSED || message.decoderResult().isFailure()) {
            ReferenceCountUtil.release(message);
            if (state != State.CLOSED) {
                LOG.log(System.Logger.Level.WARNING, "malformed packet from the upstream broker for device "
                        + device.id() + ": " + Errors.rootMessage(message.decoderResult().cause()));
                close(MqttReplies.disconnect(MqttReplies.UNSPECIFIED_ERROR, "upstream broker protocol error"));
            }
            return;
        }
        switch (message.fixedHeader().messageType()) {
            case CONNACK -> connAck((MqttConnAckMessage) message);
            case PUBLISH -> deliver((MqttPublishMessage) message);
            case PUBACK, PUBCOMP -> {
                inflight.remove(((MqttMessageIdVariableHeader) message.variableHeader()).messageId());
                ctx.write(message);
            }
            case PUBREL -> pubrelFromUpstream(message);
            case SUBACK -> subAck((MqttSubAckMessage) message);
            case DISCONNECT -> ctx.writeAndFlush(message).addListener(ChannelFutureListener.CLOSE);
            default -> ctx.write(message);
        }
    }

    private void connAck(MqttConnAckMessage connAck) {
        if (state != State.CONNECTING) {
            close(MqttReplies.disconnect(MqttReplies.PROTOCOL_ERROR, "unexpected CONNACK from the upstream broker"));
            return;
        }
        MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            LOG.log(System.Logger.Level.WARNING, "upstream broker refused device " + device.id() + ": " + code);
            ctx.writeAndFlush(connAck).addListener(ChannelFutureListener.CLOSE);
            state = State.CLOSED;
            return;
        }
        if (connectDeadline != null) {
            connectDeadline.cancel(false);
        }
        state = State.CONNECTED;
        ctx.write(connectCheck.deviceConnAck(connAck, gateway.limits()));
        gateway.sessions().register(this);
        gateway.events().emit(EventType.AUTH_SUCCEEDED, Severity.INFO, device.id(), address,
                "device " + device.id() + " connected over MQTT " + (version == MqttVersion.MQTT_5 ? "5" : "3.1.1"));
        drainEarly();
        updateReading();
    }

    private void deliver(MqttPublishMessage publish) {
        String topic = publish.variableHeader().topicName();
        if (gateway.policies().decide(device, io.palisade.core.policy.Action.SUBSCRIBE, topic).allowed()) {
            gateway.traffic().delivered(device.id(), publish.payload().readableBytes());
            ctx.write(publish);
            return;
        }
        // Withheld (the device was quarantined after subscribing): acknowledge to the broker ourselves.
        int qos = publish.fixedHeader().qosLevel().value();
        int packetId = publish.variableHeader().packetId();
        publish.release();
        if (qos == 1) {
            upstream.write(MqttReplies.pubReply(MqttMessageType.PUBACK, packetId, version, (byte) 0, ""));
        } else if (qos == 2) {
            withheldQos2.add(packetId);
            upstream.write(MqttReplies.pubReply(MqttMessageType.PUBREC, packetId, version, (byte) 0, ""));
        }
    }

    private void pubrelFromUpstream(MqttMessage pubrel) {
        int packetId = ((MqttMessageIdVariableHeader) pubrel.variableHeader()).messageId();
        if (withheldQos2.remove(packetId)) {
            upstream.write(MqttReplies.pubReply(MqttMessageType.PUBCOMP, packetId, version, (byte) 0, ""));
        } else {
            ctx.write(pubrel);
        }
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
            close(MqttReplies.disconnect(MqttReplies.UNSPECIFIED_ERROR, "the upstream broker closed the session"));
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
            close(MqttReplies.disconnect(MqttReplies.ADMINISTRATIVE_ACTION, reason));
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

    private void throttle(long pauseNanos) {
        gateway.traffic().throttled(device.id(), pauseNanos);
        if (!throttled) {
            gateway.events().emitLimited(EventType.QUOTA_EXCEEDED, Severity.MEDIUM, device.id(), address,
                    "device " + device.id() + " throttled: publishing faster than its quota");
        }
        throttled = true;
        updateReading();
        ctx.executor().schedule(() -> {
            throttled = false;
            updateReading();
        }, pauseNanos, TimeUnit.NANOSECONDS);
    }

    private void updateReading() {
        boolean read = (state == State.AWAITING_CONNECT || state == State.CONNECTED) && !throttled
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
        close(MqttReplies.disconnect(tooLarge ? MqttReplies.PACKET_TOO_LARGE : MqttReplies.MALFORMED_PACKET, reason));
    }

    private void violation(String what) {
        gateway.events().emit(EventType.PROTOCOL_VIOLATION, Severity.MEDIUM, device == null ? null : device.id(),
                address, "MQTT protocol violation: " + what);
        close(MqttReplies.disconnect(MqttReplies.PROTOCOL_ERROR, what));
    }

    /** Closes both connections; MQTT 5 devices first get {@code lastWord} (a DISCONNECT with a reason). */
    private void close(MqttMessage lastWord) {
        boolean wasConnected = state == State.CONNECTED;
        state = State.CLOSED;
        if (lastWord != null && version == MqttVersion.MQTT_5 && wasConnected) {
            ctx.writeAndFlush(lastWord).addListener(ChannelFutureListener.CLOSE);
        } else {
            ReferenceCountUtil.release(lastWord);
            ctx.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }
}
