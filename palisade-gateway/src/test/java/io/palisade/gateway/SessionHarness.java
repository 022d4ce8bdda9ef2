package io.palisade.gateway;

import io.palisade.pki.DeviceAuthenticator;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.policy.PolicyBook;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.ca.CertificateAuthority;
import io.palisade.pki.ca.DeviceCertificateProfile;
import io.palisade.pki.ca.DirectIssuance;
import io.palisade.store.Database;
import io.palisade.store.SqlDeviceRegistry;
import io.palisade.store.StoreUrl;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A device session on {@link EmbeddedChannel}s: no sockets, no TLS. The device side is driven with
 * encoded bytes, as a client sends them; the upstream side is a scripted broker that answers CONNECT,
 * SUBSCRIBE and QoS 1/2 publishes and records everything the gateway sent it.
 */
final class SessionHarness implements AutoCloseable {

    static final String DEVICE = "unit-1";

    final Database database;
    final SqlDeviceRegistry registry;
    final PolicyBook policies = new PolicyBook();
    final ConcurrentLinkedQueue<SecurityEvent> events = new ConcurrentLinkedQueue<>();
    final List<MqttMessage> sentUpstream = new ArrayList<>();
    final EmbeddedChannel device;
    final EmbeddedChannel client = new EmbeddedChannel(new MqttDecoder(), MqttEncoder.INSTANCE);
    EmbeddedChannel upstream;
    /** The reason code the scripted broker puts in PUBACK/PUBREC (MQTT 5; 0 = success, as 3.1.1 always). */
    int brokerReasonCode;
    /** Whether the scripted broker speaks MQTT 5 (false: 3.1.1 only, like the embedded Moquette); set before CONNECT. */
    boolean brokerSpeaks5 = true;

    SessionHarness(Path dir, GatewayLimits limits) {
        this(new World(dir), limits);
    }

    /** The parts that outlive one connection: store, registry, the device's certificate. */
    static final class World {
        final Database database;
        final SqlDeviceRegistry registry;
        final X509Certificate certificate;
        private DeviceQuotas quotas;

        World(Path dir) {
            database = Database.open(StoreUrl.sqlite(dir.resolve("unit.db")));
            registry = new SqlDeviceRegistry(database);
            certificate = enrolledDevice(registry);
        }

        /** Forgets every device's quota and connect budget (each fuzz input starts from the same state). */
        void resetQuotas() {
            quotas = null;
        }

        /** One quota book for every connection of this world, as the gateway has one for all sessions. */
        DeviceQuotas quotas(GatewayLimits limits) {
            if (quotas == null) {
                quotas = new DeviceQuotas(limits, Clock.systemUTC());
            }
            return quotas;
        }
    }

    private final World world;

    SessionHarness(World world, GatewayLimits limits) {
        this.world = world;
        this.database = world.database;
        this.registry = world.registry;
        Clock clock = Clock.systemUTC();
        X509Certificate certificate = world.certificate;
        GatewayServices services = new GatewayServices(limits, policies, new DeviceAuthenticator(registry), Runnable::run,
                new ScriptedUpstream(), new GatewayEvents(events::add, clock), new SessionRegistry(),
                world.quotas(limits), ctx -> List.of(certificate), io.palisade.core.event.TrafficObserver.NONE,
                PublishLanes.NONE, UpstreamMuxes.NONE);
        device = new EmbeddedChannel(new MqttDecoder(limits.maxPacketBytes(), 64), MqttEncoder.INSTANCE,
                new DeviceIdentification(services), new DeviceSession(services));
        device.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        device.runPendingTasks();
    }

    private static X509Certificate enrolledDevice(SqlDeviceRegistry registry) {
        Clock clock = Clock.systemUTC();
        CertificateAuthority.Created created = CertificateAuthority.create("unit", KeyPairs.newP256(),
                KeyPairs.newP256(), clock);
        CertificateAuthority ca = created.authority(DeviceCertificateProfile.defaults(), clock);
        return DirectIssuance.issue(registry, ca, DeviceId.of(DEVICE), "default", "default").certificate();
    }

    /** Sends packets as a client would: encoded by a real MQTT encoder, delivered as bytes. */
    void send(MqttMessage... messages) {
        for (MqttMessage message : messages) {
            client.writeOutbound(message);
            ByteBuf bytes;
            while ((bytes = client.readOutbound()) != null) {
                sendBytes(bytes);
            }
        }
    }

    void sendBytes(ByteBuf bytes) {
        device.writeInbound(bytes);
        device.runPendingTasks();
        if (upstream != null) {
            upstream.runPendingTasks();
        }
    }

    /** Everything the gateway sent to the device so far, decoded. */
    List<MqttMessage> received() {
        List<MqttMessage> out = new ArrayList<>();
        device.runPendingTasks();
        ByteBuf bytes;
        while ((bytes = device.readOutbound()) != null) {
            client.writeInbound(bytes);
        }
        MqttMessage message;
        while ((message = client.readInbound()) != null) {
            out.add(message);
        }
        return out;
    }

    MqttConnectMessage connect(MqttVersion version, String clientId) {
        return MqttMessageBuilders.connect().protocolVersion(version).clientId(clientId).cleanSession(true)
                .keepAlive(60).build();
    }

    /** Connects as the device and returns the CONNACK it got. */
    MqttConnAckMessage connected(MqttVersion version) {
        send(connect(version, DEVICE));
        List<MqttMessage> replies = received();
        return (MqttConnAckMessage) replies.get(0);
    }

    static MqttPublishMessage publish(String topic, int qos, int packetId, String payload) {
        return MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.valueOf(qos)).messageId(packetId)
                .payload(io.netty.buffer.Unpooled.copiedBuffer(payload.getBytes())).build();
    }

    static MqttSubscribeMessage subscribe(int packetId, String... filters) {
        var builder = MqttMessageBuilders.subscribe().messageId(packetId);
        for (String filter : filters) {
            builder.addSubscription(MqttQoS.AT_LEAST_ONCE, filter);
        }
        return builder.build();
    }

    List<SecurityEvent> events(EventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    boolean deviceOpen() {
        device.runPendingTasks();
        return device.isOpen();
    }

    /** Ends this connection only; the world stays for the next one. */
    void closeConnection() {
        device.finishAndReleaseAll();
        client.finishAndReleaseAll();
        if (upstream != null) {
            upstream.finishAndReleaseAll();
        }
        sentUpstream.forEach(ReferenceCountUtil::release);
        sentUpstream.clear();
    }

    @Override
    public void close() {
        closeConnection();
        world.database.close();
    }

    /** A broker in a box: answers like Mosquitto would, on an EmbeddedChannel. */
    private final class ScriptedUpstream implements Upstream {

        @Override
        public ChannelFuture connect(EventLoop loop, io.netty.channel.ChannelHandler handler) {
            upstream = new EmbeddedChannel(new ScriptedBroker(), handler);
            return upstream.newSucceededFuture();
        }

        @Override
        public UpstreamAddress address() {
            return UpstreamAddress.parse("mqtt://gateway:secret@broker.test:1883" + (brokerSpeaks5 ? "" : "?mqtt=3.1.1"));
        }
    }

    private MqttReplies.Style brokerStyle() {
        return brokerReasonCode == 0 ? MqttReplies.Style.V3
                : new MqttReplies.Style(MqttVersion.MQTT_5, Integer.MAX_VALUE);
    }

    /** UNSUBACK as each protocol has it: MQTT 5 with one reason code per filter, 3.1.1 with none. */
    private MqttMessage unsubAck(io.netty.handler.codec.mqtt.MqttUnsubscribeMessage unsubscribe) {
        int packetId = unsubscribe.variableHeader().messageId();
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0);
        if (!brokerSpeaks5) {
            return new io.netty.handler.codec.mqtt.MqttUnsubAckMessage(header, MqttMessageIdVariableHeader.from(packetId));
        }
        return new io.netty.handler.codec.mqtt.MqttUnsubAckMessage(header,
                new io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader(packetId,
                        MqttProperties.NO_PROPERTIES),
                new io.netty.handler.codec.mqtt.MqttUnsubAckPayload(new short[unsubscribe.payload().topics().size()]));
    }

    /** A PUBLISH from the broker to the device. */
    void fromBroker(MqttPublishMessage publish) {
        upstream.writeInbound(publish);
        upstream.runPendingTasks();
        device.runPendingTasks();
    }

    private final class ScriptedBroker extends ChannelOutboundHandlerAdapter {

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            MqttMessage message = (MqttMessage) msg;
            sentUpstream.add(message);
            MqttMessage answer = switch (message.fixedHeader().messageType()) {
                case CONNECT -> MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                        .properties(MqttProperties.NO_PROPERTIES).build();
                case SUBSCRIBE -> {
                    var sub = (MqttSubscribeMessage) message;
                    var ack = MqttMessageBuilders.subAck().packetId(sub.variableHeader().messageId());
                    sub.payload().topicSubscriptions().forEach(t -> ack.addGrantedQos(t.qualityOfService()));
                    yield ack.build();
                }
                case PUBLISH -> {
                    var pub = (MqttPublishMessage) message;
                    int qos = pub.fixedHeader().qosLevel().value();
                    yield qos == 0 ? null : MqttReplies.pubReply(qos == 1 ? MqttMessageType.PUBACK
                            : MqttMessageType.PUBREC, pub.variableHeader().packetId(), brokerStyle(), (byte) brokerReasonCode);
                }
                case UNSUBSCRIBE -> unsubAck((io.netty.handler.codec.mqtt.MqttUnsubscribeMessage) message);
                case PUBREL -> MqttReplies.pubReply(MqttMessageType.PUBCOMP,
                        ((MqttMessageIdVariableHeader) message.variableHeader()).messageId(), brokerStyle(), (byte) 0);
                default -> null;
            };
            promise.setSuccess();
            if (answer != null) {
                ctx.fireChannelRead(answer);
                ctx.fireChannelReadComplete();
            }
        }
    }
}
