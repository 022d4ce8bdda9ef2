package io.palisade.gateway;

import io.palisade.pki.DeviceAuthenticator;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.event.EventSink;
import io.palisade.core.event.TrafficObserver;
import io.palisade.core.policy.PolicyBook;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The device-facing MQTT listener (default port 8883). Pipeline per connection, in order:
 * connection guard → TLS (client certificate required) → MQTT decoder (packet size limit) →
 * MQTT encoder (+ copy-free PUBLISH encoder) → identity (the certificate against the registry) → device
 * session (its stages: publishes through quota, policy and inspection; subscriptions; deliveries; relay).
 */
public final class MqttGateway implements AutoCloseable {

    public static final int DEFAULT_PORT = 8883;
    private static final int CLIENT_ID_MAX_LENGTH = 64;

    private final Transport transport = Transport.best();
    /** Names of the gateway's event loop threads: {@code palisade-mqtt-N-M}. */
    public static final String LOOP_THREADS = "palisade-mqtt";
    private final EventLoopGroup boss = transport.group(1, "palisade-mqtt-accept");
    /**
     * One event loop per core, not Netty's default of two: every device has its own broker connection, so
     * the gateway's work is mostly system calls, and more loops than cores only add wake-ups and context
     * switches (measured with mqtt-load, 100 devices, QoS 1 256 B: 82k msg/s with 4 loops on 2 cores,
     * 108k with 2).
     */
    private final EventLoopGroup workers = transport.group(Runtime.getRuntime().availableProcessors(),
            LOOP_THREADS);
    private final ExecutorService blocking = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "palisade-gateway-auth");
        thread.setDaemon(true);
        return thread;
    });
    private final SessionRegistry sessions = new SessionRegistry();
    private final ConnectionGuard guard;
    private final PublishLanes lanes;
    private final UpstreamMuxes muxes;
    private final Channel channel;

    private MqttGateway(InetSocketAddress bind, SslContext tls, UpstreamAddress upstream, GatewayLimits limits,
                        PolicyBook policies, DeviceRegistry registry, EventSink events, TrafficObserver traffic,
                        Clock clock) throws InterruptedException, SSLException {
        GatewayEvents gatewayEvents = new GatewayEvents(events, clock);
        this.guard = new ConnectionGuard(limits, gatewayEvents, clock);
        UpstreamConnector connector = new UpstreamConnector(upstream, transport);
        this.lanes = PublishLanes.of(connector);
        this.muxes = UpstreamMuxes.of(connector);
        GatewayServices services = new GatewayServices(limits, policies, new DeviceAuthenticator(registry), blocking,
                connector, gatewayEvents, sessions, new DeviceQuotas(limits, clock), PeerCertificates.TLS, traffic,
                lanes, muxes);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("guard", guard)
                                .addLast("tls", tls.newHandler(ch.alloc()))
                                .addLast("mqtt-decoder", new MqttDecoder(limits.maxPacketBytes(), CLIENT_ID_MAX_LENGTH))
                                .addLast("mqtt-encoder", MqttEncoder.INSTANCE)
                                .addLast("publish-encoder", PublishEncoder.INSTANCE)
                                .addLast("identity", new DeviceIdentification(services))
                                .addLast("session", new DeviceSession(services));
                    }
                });
        lanes.openAll(workers);
        muxes.openAll(workers);
        try {
            this.channel = bootstrap.bind(bind).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            shutdown();
            throw e;
        }
    }

    public static MqttGateway start(InetSocketAddress bind, SslContext tls, UpstreamAddress upstream,
                                    GatewayLimits limits, PolicyBook policies, DeviceRegistry registry,
                                    EventSink events, Clock clock) throws InterruptedException, SSLException {
        return new MqttGateway(bind, tls, upstream, limits, policies, registry, events, TrafficObserver.NONE, clock);
    }

    /** As {@link #start(InetSocketAddress, SslContext, UpstreamAddress, GatewayLimits, PolicyBook, DeviceRegistry,
     * EventSink, Clock)}, with {@code traffic} told of every PUBLISH let through (for detection). */
    public static MqttGateway start(InetSocketAddress bind, SslContext tls, UpstreamAddress upstream,
                                    GatewayLimits limits, PolicyBook policies, DeviceRegistry registry,
                                    EventSink events, TrafficObserver traffic, Clock clock)
            throws InterruptedException, SSLException {
        return new MqttGateway(bind, tls, upstream, limits, policies, registry, events, traffic, clock);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Live sessions; register it with the device service so that revocation and quarantine reach them. */
    public SessionRegistry sessions() {
        return sessions;
    }

    public int connections() {
        return guard.connections();
    }

    /** Sessions whose QoS 0 publishes go over a shared lane ({@code ?lanes=qos0}). */
    public int sessionsOnLanes() {
        return lanes.boundSessions();
    }

    /** Sessions carried by a shared broker connection ({@code ?mux=1}). */
    public int sessionsOnMuxes() {
        return muxes.sessions();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        lanes.close();
        muxes.close();
        shutdown();
        boss.terminationFuture().syncUninterruptibly();
        workers.terminationFuture().syncUninterruptibly();
    }

    private void shutdown() {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        blocking.shutdownNow();
    }
}
