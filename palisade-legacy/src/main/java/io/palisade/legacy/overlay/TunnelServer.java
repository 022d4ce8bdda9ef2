package io.palisade.legacy.overlay;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceChangeListener;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.event.EventSink;
import io.palisade.core.event.TrafficObserver;
import io.palisade.core.overlay.OverlayAccess;
import io.palisade.core.overlay.OverlayGrant;
import io.palisade.core.overlay.OverlayStore;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The overlay's tunnel listener: mutual TLS with Palisade's CA ({@code tls} requires a client certificate), one
 * {@code CONNECT DEVICE:PORT} per connection, decided by {@link TunnelAdmission}, then relayed by a
 * {@link TunnelSession}. Limits: {@value #MAX_TUNNELS} connections, {@value #MAX_PER_ADDRESS} per address and
 * {@value #ATTEMPTS_PER_SECOND_PER_ADDRESS} new ones a second per address; the handshake and the request head must
 * arrive within {@value #HEAD_SECONDS} s. A revoked grant ({@link #grantRevoked}) and a quarantined or revoked device
 * at either end ({@link #deviceChanged}) cut the tunnels they carry at once; a grant's expiry cuts its tunnels then.
 */
public final class TunnelServer implements AutoCloseable, DeviceChangeListener {

    private static final System.Logger LOG = System.getLogger(TunnelServer.class.getName());

    public static final int MAX_TUNNELS = 512;
    public static final int MAX_PER_ADDRESS = 64;
    public static final int ATTEMPTS_PER_SECOND_PER_ADDRESS = 20;
    public static final int HEAD_SECONDS = 10;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    /** Admission reads the registry and the store, and session records are stored durably: never on the I/O threads. */
    private final ExecutorService admissions = io.palisade.legacy.DaemonThreads.pool("overlay-admissions", 2);
    /** Session records are stored one after the other, off the I/O threads. */
    private final ExecutorService recorder = io.palisade.legacy.DaemonThreads.pool("overlay-records", 1);
    private final TunnelRegistry tunnels = new TunnelRegistry();
    private final io.palisade.legacy.ConnectionGate gate;
    private final Channel server;

    private TunnelServer(InetSocketAddress listen, SslContext tls, TunnelAdmission admission, EventSink sink,
                         EventSink durable, TrafficObserver traffic, Clock clock) throws InterruptedException {
        TunnelEvents events = new TunnelEvents(sink, durable, recorder, clock);
        gate = new io.palisade.legacy.ConnectionGate("the overlay port " + listen.getPort(),
                ATTEMPTS_PER_SECOND_PER_ADDRESS, MAX_PER_ADDRESS, MAX_TUNNELS, clock);
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (!gate.admit(channel)) {
                            return;
                        }
                        channel.pipeline()
                                .addLast("tls", tls.newHandler(channel.alloc()))
                                .addLast("head-deadline", new ReadTimeoutHandler(HEAD_SECONDS))
                                .addLast("head", new ConnectHeadDecoder())
                                .addLast("tunnel", new TunnelSession(admission, admissions, events, traffic, tunnels,
                                        clock));
                    }
                })
                .bind(listen).sync().channel();
    }

    /**
     * Listens on {@code listen} (port 0: a free one). {@code events} takes what may come in floods (refusals);
     * {@code durable} stores the session records before it returns.
     */
    public static TunnelServer start(InetSocketAddress listen, SslContext tls, DeviceRegistry registry,
                                     OverlayStore store, OverlayAccess access,
                                     java.util.function.Predicate<String> operatorExists, EventSink events,
                                     EventSink durable, TrafficObserver traffic, Clock clock)
            throws InterruptedException {
        return new TunnelServer(listen, tls, new TunnelAdmission(registry, store, access, operatorExists, clock),
                events, durable, traffic, clock);
    }

    /** A removed operator loses their tunnels. */
    public void operatorRemoved(String name) {
        int cut = tunnels.cutOperator(name, "operator " + name + " removed");
        if (cut > 0) {
            LOG.log(System.Logger.Level.INFO, "cut " + cut + " tunnel(s) of removed operator " + name);
        }
    }

    /** Cuts the open tunnels of a revoked grant. */
    public void grantRevoked(OverlayGrant grant) {
        int cut = tunnels.cutGrant(grant.id(), "grant " + grant.id() + " revoked by " + grant.revokedBy().orElse("?"));
        if (cut > 0) {
            LOG.log(System.Logger.Level.INFO, "cut " + cut + " tunnel(s) of revoked grant " + grant.id());
        }
    }

    /** A device quarantined or revoked loses its tunnels, as a client and as a host. */
    @Override
    public void deviceChanged(Device device, Change change) {
        if (change == Change.RELEASED) {
            return;
        }
        int cut = tunnels.cutDevice(device.id(), "device " + device.id() + " "
                + change.name().toLowerCase(java.util.Locale.ROOT));
        if (cut > 0) {
            LOG.log(System.Logger.Level.INFO, "cut " + cut + " tunnel(s) of device " + device.id() + ": "
                    + change.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** The tunnels open now: subject, host and port, grant. */
    public List<String> describeOpen() {
        return tunnels.open().stream().map(t -> t.subject() + " -> " + t.target() + " (grant " + t.grant().id() + ")")
                .toList();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        gate.clients().close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        admissions.shutdownNow();
        recorder.shutdown();
        try {
            recorder.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
