package io.palisade.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.palisade.core.Errors;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One broker connection that carries the QoS 0 publishes of every device session on one event loop
 * ({@code --upstream mqtt://...?lanes=qos0}). A session keeps its own broker connection for everything
 * else: its CONNECT and will, subscriptions and deliveries, QoS 1 and 2.
 *
 * <p>Why: with a connection per device, each device's read batch costs the gateway one write and the
 * broker one read. Here the publishes read from all devices in one pass of the event loop leave in a
 * single write (the flush is deferred to the end of the pass) and the broker reads them in one go.
 *
 * <p>What the broker then sees: QoS 0 publishes arrive from the lane's client id ({@code palisade-lane-...}) with the
 * gateway's credentials, not from the device's client id; the gateway's policy has decided them. MQTT
 * keeps order per topic and QoS level only, so sending QoS 0 apart from QoS 1 and 2 keeps MQTT's ordering.
 * An MQTT 5 "No Local" subscription cannot be honoured (the broker cannot tell the device's own QoS 0
 * publishes), so a session bound to a lane refuses it.
 *
 * <p>All methods run on the lane's event loop. A session binds to the lane only while it is connected;
 * when the lane's connection ends, its bound sessions are closed as if their own broker connection had
 * ended (QoS 0 publishes in flight on it are lost, as MQTT allows), and the lane reconnects.
 */
final class PublishLane extends ChannelInboundHandlerAdapter implements PerLoopConnections.Shared {

    private static final System.Logger LOG = System.getLogger(PublishLane.class.getName());

    private final EventLoop loop;
    private final String clientId;
    private final UpstreamAddress address;
    private final Runnable flush = this::flush;
    private Channel channel;
    private boolean ready;
    /** Set when the connection failed or closed: a new lane replaces this one. */
    private volatile boolean ended;
    private boolean flushScheduled;
    /** Sessions that send their QoS 0 publishes here. */
    private final Set<DeviceSession> bound = new LinkedHashSet<>();
    private volatile int boundCount;
    /** Sessions that stopped reading until this lane drains. */
    private final List<DeviceSession> waiting = new ArrayList<>();

    PublishLane(EventLoop loop, String clientId, UpstreamAddress address) {
        this.loop = loop;
        this.clientId = clientId;
        this.address = address;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    /** Whether sessions may bind to it now: connected and accepted by the broker. */
    boolean ready() {
        return ready;
    }

    @Override
    public boolean ended() {
        return ended;
    }

    @Override
    public void connectFailed(String reason) {
        ended = true;
    }

    boolean isWritable() {
        return channel != null && channel.isWritable();
    }

    void bind(DeviceSession session) {
        bound.add(session);
        boundCount = bound.size();
    }

    void unbind(DeviceSession session) {
        bound.remove(session);
        boundCount = bound.size();
        waiting.remove(session);
    }

    /** Read from any thread (status, tests). */
    int boundSessions() {
        return boundCount;
    }

    /**
     * Queues a publish; the write to the socket happens once, after every device read in this pass of
     * the event loop. Returns false (and the session should stop reading) once the lane's buffer is full.
     */
    boolean write(MqttPublishMessage publish) {
        channel.write(publish, channel.voidPromise());
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flush); // tasks run after the pass's I/O: one flush for all devices read in it
        }
        return channel.isWritable();
    }

    /** {@code session} resumes reading (its {@code laneDrained}) when the lane has room again. */
    void awaitWritable(DeviceSession session) {
        if (!waiting.contains(session)) {
            waiting.add(session);
        }
    }

    private void flush() {
        flushScheduled = false;
        if (channel != null) {
            channel.flush();
        }
    }

    // ---- the lane's own connection -----------------------------------------------------------------

    /** Added as the lane connection's last handler: a keep-alive goes in front of it. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.channel = ctx.channel();
        GatewayClient.watchKeepAlive(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(GatewayClient.connect(clientId, address,
                address.speaksMqtt5() ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1, MqttProperties.NO_PROPERTIES));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof MqttConnAckMessage connAck && !ready) {
                MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
                if (code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                    ready = true;
                    LOG.log(System.Logger.Level.INFO, "QoS 0 lane " + clientId + " connected to " + address);
                } else {
                    LOG.log(System.Logger.Level.WARNING, "upstream broker " + address + " refused the QoS 0 lane "
                            + clientId + ": " + code + "; devices keep their own connections");
                    ctx.close();
                }
            } else if (msg instanceof MqttMessage message && message.decoderResult().isFailure()) {
                LOG.log(System.Logger.Level.WARNING, "malformed packet from " + address + " on the QoS 0 lane: "
                        + Errors.rootMessage(message.decoderResult().cause()));
                ctx.close();
            }
            // PINGRESP and anything else: nothing to do (the lane subscribes to nothing).
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        GatewayClient.keepAlive(ctx, event, "the QoS 0 lane " + clientId + " to " + address);
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !waiting.isEmpty()) {
            List<DeviceSession> resume = new ArrayList<>(waiting);
            waiting.clear();
            resume.forEach(DeviceSession::laneDrained);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ready = false;
        ended = true;
        if (!bound.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "QoS 0 lane " + clientId + " to " + address + " closed; ending the "
                    + bound.size() + " device sessions that used it (they reconnect)");
        }
        List<DeviceSession> lost = new ArrayList<>(bound);
        bound.clear();
        boundCount = 0;
        waiting.clear();
        lost.forEach(DeviceSession::laneLost);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.WARNING, "QoS 0 lane " + clientId + " to " + address + " failed: "
                + Errors.rootMessage(cause));
        ctx.close();
    }

    /**
     * Refuses an MQTT 5 subscription with No Local (0x83, implementation specific): the broker sees the
     * device's QoS 0 publishes come from the lane, so it would send them back to the device.
     */
    static int refusalOf(io.netty.handler.codec.mqtt.MqttTopicSubscription subscription) {
        return subscription.option().isNoLocal() ? Byte.toUnsignedInt(Mqtt5Over311.IMPLEMENTATION_SPECIFIC)
                : SubscriptionCheck.ACCEPTED;
    }

    @Override
    public void close() {
        if (channel != null) {
            GracefulClose.close(channel, MqttMessageBuilders.disconnect().build());
        }
    }
}
