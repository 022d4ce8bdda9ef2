package io.palisade.gateway;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.util.ReferenceCountUtil;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One device session's place on its event loop's {@link UpstreamMux}: the session's broker side without a
 * connection of its own. It keeps what the broker would keep for the session: its will (published by the
 * gateway when the session ends without DISCONNECT), its subscriptions (the mux subscribes upstream once per
 * filter), the packet ids of deliveries the device has not acknowledged, and the mapping of the device's
 * QoS 2 publishes to the mux's packet ids. Runs on the session's (and the mux's) event loop.
 */
final class MuxedSession implements BrokerSide {

    private static final System.Logger LOG = System.getLogger(MuxedSession.class.getName());
    private static final MqttFixedHeader PINGRESP = new MqttFixedHeader(MqttMessageType.PINGRESP, false,
            MqttQoS.AT_MOST_ONCE, false, 0);

    private final UpstreamMux mux;
    final DeviceSession session;
    /** Whether the device speaks MQTT 5 (else its refusal codes are 3.1.1's one failure code). */
    final boolean v5;
    private final MqttPublishMessage will;
    /** How many QoS 1 deliveries the device may leave unacknowledged (its Receive Maximum, or the gateway's limit). */
    private final int receiveMaximum;
    /** Filter → the subscription on the mux this session shares. */
    final Map<String, MuxFilter> filters = new HashMap<>(4);
    /** Packet ids of QoS 1 deliveries the device has not acknowledged yet (the ids are this session's own). */
    private final Set<Integer> unacknowledged = new HashSet<>(4);
    /** The device's packet id of a QoS 2 publish → the mux's, until the broker's PUBCOMP. */
    final Map<Integer, Integer> exactlyOnce = new HashMap<>(2);
    private int lastDeliveryId;
    private boolean deviceCongested;
    private boolean ended;
    private long dropped;

    MuxedSession(UpstreamMux mux, DeviceSession session, MqttConnectMessage connect, int receiveMaximum, boolean v5) {
        this.mux = mux;
        this.v5 = v5;
        this.session = session;
        this.will = willOf(connect);
        this.receiveMaximum = receiveMaximum;
    }

    /** The device's will as the PUBLISH the gateway sends for it (QoS at most 1, the mux's subscriptions' limit). */
    private static MqttPublishMessage willOf(MqttConnectMessage connect) {
        if (!connect.variableHeader().isWillFlag()) {
            return null;
        }
        int qos = Math.min(1, connect.variableHeader().willQos());
        MqttProperties properties = MqttReplies.without(connect.payload().willProperties(),
                Set.of(MqttProperties.WILL_DELAY_INTERVAL));
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.valueOf(qos),
                connect.variableHeader().isWillRetain(), 0),
                new MqttPublishVariableHeader(connect.payload().willTopic(), 0, properties),
                io.netty.buffer.Unpooled.wrappedBuffer(connect.payload().willMessageInBytes()));
    }

    // ---- from the device (BrokerSide) -------------------------------------------------------------

    @Override
    public void write(Object message) {
        if (ended || !(message instanceof MqttMessage packet)) {
            ReferenceCountUtil.release(message);
            return;
        }
        switch (packet.fixedHeader().messageType()) {
            case PUBLISH -> mux.publish(this, (MqttPublishMessage) packet);
            case PUBREL -> mux.pubrel(this, SessionLink.packetId(packet));
            case PUBACK -> unacknowledged.remove(SessionLink.packetId(packet));
            case SUBSCRIBE -> mux.subscribe(this, (MqttSubscribeMessage) packet);
            case UNSUBSCRIBE -> mux.unsubscribe(this, (MqttUnsubscribeMessage) packet);
            case PINGREQ -> session.fromUpstream(new MqttMessage(PINGRESP));
            default -> ReferenceCountUtil.release(packet); // no QoS 2 deliveries here: nothing else to answer
        }
    }

    @Override
    public void flush() {
        mux.flushSoon();
    }

    @Override
    public boolean isWritable() {
        return mux.isWritable(this);
    }

    @Override
    public void readFromBroker(boolean read) {
        deviceCongested = !read;
    }

    @Override
    public void end(MqttMessage lastPacket) {
        if (ended) {
            ReferenceCountUtil.release(lastPacket);
            return;
        }
        ended = true;
        boolean publishWill = lastPacket == null || Mqtt5Over311.wantsWill(lastPacket);
        ReferenceCountUtil.release(lastPacket);
        mux.detach(this, publishWill ? will : null);
        if (!publishWill) {
            ReferenceCountUtil.release(will);
        }
    }

    /** The session was let go without its will (it ended before it opened, or the mux's connection ended). */
    void abandon() {
        ended = true;
        ReferenceCountUtil.release(will);
    }

    boolean ended() {
        return ended;
    }

    // ---- to the device ---------------------------------------------------------------------------

    /**
     * Hands the device a copy of {@code publish} at {@code qos} with this session's own packet id; false when it
     * was dropped: a QoS 0 message while the device does not read, a QoS 1 message beyond its Receive Maximum.
     */
    boolean deliver(MqttPublishMessage publish, int qos, MqttProperties properties) {
        if (qos == 0 ? deviceCongested : unacknowledged.size() >= receiveMaximum) {
            if (dropped++ % 1000 == 0) { // the first, then every thousandth: a slow device must not flood the log
                LOG.log(System.Logger.Level.WARNING, "dropped a QoS " + qos + " delivery to device "
                        + session.deviceId() + " (" + dropped + " so far this session): "
                        + (qos == 0 ? "it does not read what it is sent" : receiveMaximum
                        + " deliveries await its acknowledgement"));
            }
            return false;
        }
        int packetId = 0;
        if (qos > 0) {
            packetId = nextDeliveryId();
            unacknowledged.add(packetId);
        }
        session.fromUpstream(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false,
                MqttQoS.valueOf(qos), publish.fixedHeader().isRetain(), 0),
                new MqttPublishVariableHeader(publish.variableHeader().topicName(), packetId, properties),
                publish.payload().retainedDuplicate()));
        return true;
    }

    private int nextDeliveryId() {
        do {
            lastDeliveryId = lastDeliveryId == 0xFFFF ? 1 : lastDeliveryId + 1;
        } while (unacknowledged.contains(lastDeliveryId));
        return lastDeliveryId;
    }

    /** Refuses, for a device on a mux, what the shared connection cannot honour; -1 when the filter may go on. */
    static int refusalOf(MqttTopicSubscription subscription, boolean v5) {
        if (subscription.option().isNoLocal()) {
            return Byte.toUnsignedInt(Mqtt5Over311.IMPLEMENTATION_SPECIFIC); // the broker cannot tell the device's own
        }
        if (subscription.topicFilter().startsWith("$share/")) {
            return v5 ? SHARED_SUBSCRIPTIONS_NOT_SUPPORTED : 0x80; // 3.1.1 has one failure code
        }
        return SubscriptionCheck.ACCEPTED;
    }

    static final int SHARED_SUBSCRIPTIONS_NOT_SUPPORTED = 0x9E;
}
