package io.palisade.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.palisade.core.Errors;
import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceConnections;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * One device connection and its relay to the broker: the session's life cycle and the dispatch of
 * packets to its stages. Runs on the device channel's event loop; the upstream channel shares that
 * loop, so no state here needs locking.
 *
 * <p>Life cycle: TLS handshake → identity from the certificate ({@link DeviceIdentification}, the stage
 * before this one) → the opening ({@link SessionOpening}: CONNECT checked, upstream connection and CONNECT
 * under the same client id, CONNACK relayed) → packets relayed both ways through the stages: {@link DevicePublishes}
 * (topic, quota, policy, QoS flows: the {@link PublishGate}), {@link Subscriptions} and
 * {@link Deliveries} (what the broker sends, checked against the device's standing). The stages share
 * the session's {@link SessionLink}.
 */
final class DeviceSession extends ChannelInboundHandlerAdapter implements SessionControl, SessionOpening.Outcome {

    private static final System.Logger LOG = System.getLogger(DeviceSession.class.getName());
    /** Packets a device may send before its session is ready (MQTT lets clients pipeline after CONNECT). */
    private static final int MAX_EARLY_PACKETS = 1000;

    private enum State { HANDSHAKING, AWAITING_CONNECT, CONNECTING, CONNECTED, CLOSED }

    private final GatewayServices gateway;
    private final SessionLink link;
    private ChannelHandlerContext ctx;
    /** Wall-clock milliseconds: when the session was accepted, and when the device last sent anything. */
    private volatile long connectedAtMillis;
    private volatile long lastSeenMillis;
    private State state = State.HANDSHAKING;
    private final SessionOpening opening;
    private final DeviceReading reading;
    private DeviceQuota quota;
    private DevicePublishes publishes;
    private Subscriptions subscriptions;
    private Deliveries deliveries;
    private final ArrayDeque<MqttMessage> early = new ArrayDeque<>();
    /** Set once the upstream connection is being ended (gracefully): nothing more goes to it. */
    private boolean upstreamEnding;

    DeviceSession(GatewayServices gateway) {
        this.gateway = gateway;
        this.link = new SessionLink(gateway);
        this.opening = new SessionOpening(gateway, link, this);
        this.reading = new DeviceReading(link);
    }

    DeviceId deviceId() {
        return link.current.id();
    }

    // ---- device channel events -------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        link.device = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) throws Exception {
        link.address = Addresses.remote(context.channel());
        opening.startDeadline(context);
        super.channelActive(context);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
        if (event instanceof DeviceIdentification.Identified identified) {
            identified(identified.device());
        } else if (event instanceof IdleStateEvent) {
            LOG.log(System.Logger.Level.DEBUG, "device " + link.current.id() + " silent beyond its keep-alive; closing");
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
        if (link.upstream != null) {
            link.upstream.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (link.upstream != null) {
            link.upstream.readFromBroker(context.channel().isWritable());
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        state = State.CLOSED;
        opening.stopDeadline();
        early.forEach(ReferenceCountUtil::release);
        early.clear();
        if (link.lane != null) {
            link.lane.unbind(this);
        }
        if (link.current != null) {
            gateway.sessions().unregister(this);
            gateway.traffic().disconnected(link.current.id());
        }
        // Ending without DISCONNECT makes the broker publish the device's will, as MQTT requires for a
        // connection that ends without one; a DISCONNECT from the device was forwarded already.
        endUpstream(null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "device connection from " + link.address + " failed: " + Errors.rootMessage(cause));
        close(null);
    }

    // ---- identity (proven by the stage before this one) --------------------------------------------------------------------------------

    /** The identity stage ({@link DeviceIdentification}) proved whose connection this is. */
    private void identified(Device device) {
        if (state == State.CLOSED) {
            return;
        }
        link.current = device;
        gateway.traffic().connected(device);
        state = State.AWAITING_CONNECT;
        quota = gateway.quotas().of(device.id(), System.nanoTime());
        gateway.sessions().restriction(device.id()).ifPresent(r -> quota.restrict(r[0], (long) r[1]));
        publishes = new DevicePublishes(link, this, quota);
        subscriptions = new Subscriptions(link, this);
        deliveries = new Deliveries(link);
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
        if (link.upstream != null) {
            link.upstream.flush();
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
                opening.connect(ctx, (MqttConnectMessage) message, this);
            } else {
                ReferenceCountUtil.release(message);
                violation("the first packet was " + type + ", not CONNECT");
            }
            return;
        }
        switch (type) {
            case PUBLISH -> publishes.publish((MqttPublishMessage) message);
            case SUBSCRIBE -> subscriptions.subscribe((MqttSubscribeMessage) message);
            case UNSUBSCRIBE -> subscriptions.unsubscribe((MqttUnsubscribeMessage) message);
            case PUBREL -> publishes.pubrel(message);
            case PUBACK, PUBREC, PUBCOMP, PINGREQ -> link.toBroker(message);
            case DISCONNECT -> {
                // A normal end: everything the device sent before reaches the broker, then the DISCONNECT
                // (so the broker discards the will), and only then does the upstream connection end. A 3.1.1
                // broker learns "publish my will" (MQTT 5 reason 0x04) only from an end without DISCONNECT.
                state = State.CLOSED;
                if (link.over311 != null && Mqtt5Over311.wantsWill(message)) {
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

    // ---- packets from the broker -----------------------------------------------------------------

    void fromUpstream(MqttMessage message) {
        if (state == State.CLOSED || message.decoderResult().isFailure()) {
            ReferenceCountUtil.release(message);
            if (state != State.CLOSED) {
                LOG.log(System.Logger.Level.WARNING, "malformed packet from the upstream broker for device "
                        + link.current.id() + ": " + Errors.rootMessage(message.decoderResult().cause()));
                close(MqttReplies.disconnect(link.style, MqttReplies.UNSPECIFIED_ERROR, "upstream broker protocol error"));
            }
            return;
        }
        switch (message.fixedHeader().messageType()) {
            case CONNACK -> connAck((MqttConnAckMessage) message);
            case PUBLISH -> deliveries.deliver((MqttPublishMessage) message);
            case PUBACK, PUBREC, PUBCOMP -> deliveries.acknowledgement(message);
            case PUBREL -> deliveries.pubrel(message);
            case SUBACK -> subscriptions.subAck((MqttSubAckMessage) message);
            case UNSUBACK -> subscriptions.unsubAck(message);
            case DISCONNECT -> {
                state = State.CLOSED;
                closeDevice(message);
                endUpstream(null);
            }
            default -> link.toDevice(message);
        }
    }

    private void connAck(MqttConnAckMessage connAck) {
        if (state != State.CONNECTING) {
            close(MqttReplies.disconnect(link.style, MqttReplies.PROTOCOL_ERROR, "unexpected CONNACK from the upstream broker"));
            return;
        }
        opening.connAck(connAck);
    }

    // ---- how the opening goes (SessionOpening.Outcome) --------------------------------------------------

    @Override
    public void connecting() {
        state = State.CONNECTING;
        updateReading();
    }

    @Override
    public void opened() {
        state = State.CONNECTED;
        link.lane = gateway.lanes().laneFor(ctx.channel().eventLoop()).orElse(null);
        if (link.lane != null) {
            link.lane.bind(this);
        }
        connectedAtMillis = System.currentTimeMillis();
        lastSeenMillis = connectedAtMillis;
        gateway.sessions().register(this);
        gateway.events().emit(EventType.AUTH_SUCCEEDED, Severity.INFO, link.current.id(), link.address,
                "device " + link.current.id() + " connected over MQTT " + (link.style.v5() ? "5" : "3.1.1"));
        drainEarly();
        updateReading();
    }

    @Override
    public void refused(MqttMessage connAck) {
        state = State.CLOSED;
        closeDevice(connAck);
    }

    @Override
    public boolean ended() {
        return state == State.CLOSED;
    }

    void upstreamFlushComplete() {
        ctx.flush();
    }

    void upstreamWritabilityChanged() {
        updateReading();
    }

    void upstreamClosed() {
        if (state == State.CONNECTING) {
            opening.brokerUnavailable("the upstream broker closed the connection");
        } else if (state == State.CONNECTED) {
            LOG.log(System.Logger.Level.INFO, "upstream connection of device " + link.current.id() + " closed; closing"
                    + " the device connection");
            close(MqttReplies.disconnect(link.style, MqttReplies.UNSPECIFIED_ERROR, "the upstream broker closed the session"));
        }
    }

    void upstreamFailed(Throwable cause) {
        LOG.log(System.Logger.Level.WARNING, "upstream connection of device "
                + (link.current == null ? link.address : link.current.id()) + " failed: " + Errors.rootMessage(cause));
    }

    // ---- the QoS 0 lane --------------------------------------------------------------------------

    @Override
    public void laneFull() {
        reading.laneFull(true);
        link.lane.awaitWritable(this);
        updateReading();
    }

    /** The lane has room again (called on this session's loop). */
    void laneDrained() {
        reading.laneFull(false);
        updateReading();
    }

    /** The lane's connection ended: publishes on it may be lost, so the session ends as with its own broker connection. */
    void laneLost() {
        link.lane = null;
        reading.laneFull(false);
        if (state == State.CONNECTED) {
            LOG.log(System.Logger.Level.INFO, "QoS 0 lane of device " + link.current.id() + " closed; closing the"
                    + " device connection");
            close(MqttReplies.disconnect(link.style, MqttReplies.UNSPECIFIED_ERROR, "the upstream broker closed the session"));
        }
    }

    // ---- control-plane decisions -----------------------------------------------------------------

    /** Closes the session at once (revocation); safe to call from any thread. */
    void kick(String reason) {
        ctx.executor().execute(() -> {
            LOG.log(System.Logger.Level.INFO, "closing session of " + link.current.id() + ": " + reason);
            close(MqttReplies.disconnect(link.style, MqttReplies.ADMINISTRATIVE_ACTION, reason));
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
        link.current = changed;
    }

    // ---- reading and ending ----------------------------------------------------------------------

    @Override
    public void pauseReading(long pauseNanos) {
        reading.pause(pauseNanos);
    }

    private void updateReading() {
        reading.update(state == State.AWAITING_CONNECT || state == State.CONNECTED);
    }

    private void malformed(Throwable cause) {
        String reason = Errors.rootMessage(cause);
        boolean tooLarge = cause instanceof io.netty.handler.codec.TooLongFrameException;
        gateway.events().emit(EventType.PROTOCOL_VIOLATION, Severity.MEDIUM,
                link.current == null ? null : link.current.id(), link.address, "malformed MQTT packet: " + reason);
        close(MqttReplies.disconnect(link.style, tooLarge ? MqttReplies.PACKET_TOO_LARGE : MqttReplies.MALFORMED_PACKET,
                tooLarge ? "packet too large" : "malformed packet"));
    }

    private void violation(String what) {
        violation(MqttReplies.PROTOCOL_ERROR, what);
    }

    @Override
    public void violation(byte reasonCode, String what) {
        gateway.events().emit(EventType.PROTOCOL_VIOLATION, Severity.MEDIUM,
                link.current == null ? null : link.current.id(), link.address, "MQTT protocol violation: " + what);
        close(MqttReplies.disconnect(link.style, reasonCode, what));
    }

    /**
     * Ends both connections; MQTT 5 devices first get {@code lastWord} (a DISCONNECT with a reason). The
     * broker gets no DISCONNECT, so it publishes the device's will, but everything already relayed reaches it.
     */
    @Override
    public void close(MqttMessage lastWord) {
        boolean wasConnected = state == State.CONNECTED;
        state = State.CLOSED;
        if (lastWord != null && link.style.v5() && wasConnected) {
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
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(lastPacket).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Ends the upstream connection once, after {@code lastPacket} (a DISCONNECT, or null for none). */
    private void endUpstream(MqttMessage lastPacket) {
        if (link.upstream == null || upstreamEnding) {
            ReferenceCountUtil.release(lastPacket);
            return;
        }
        upstreamEnding = true;
        link.upstream.end(lastPacket);
    }

    /** The session as the control plane shows it. */
    DeviceConnections.Connection connection(boolean open) {
        return new DeviceConnections.Connection(open, Instant.ofEpochMilli(connectedAtMillis), link.address,
                Instant.ofEpochMilli(open ? lastSeenMillis : Math.max(lastSeenMillis, connectedAtMillis)));
    }
}
