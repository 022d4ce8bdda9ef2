package io.palisade.legacy.modbus;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.palisade.core.event.EventSink;
import io.palisade.core.modbus.ModbusFirewall;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;

/**
 * The Modbus/TCP firewall proxy: listens for Modbus clients and relays each, through a {@link ModbusSession}, to the
 * PLCs that serve the units it addresses ({@link PlcRoutes}). Limits: {@value #MAX_CONNECTIONS} client connections,
 * {@value #MAX_CONNECTIONS_PER_ADDRESS} per address and {@value #ATTEMPTS_PER_SECOND_PER_ADDRESS} new ones a second
 * per address (more are closed at once, before any work), a connection idle for {@value #IDLE_SECONDS} s is closed, a
 * frame is at most 260 bytes by construction.
 */
public final class ModbusProxy implements AutoCloseable, io.palisade.core.device.DeviceChangeListener {

    /** On a Modbus/TCP Security client's channel: the device it was admitted as. */
    static final io.netty.util.AttributeKey<String> DEVICE = io.netty.util.AttributeKey.valueOf("modbus-device");
    private static final System.Logger LOG = System.getLogger(ModbusProxy.class.getName());

    public static final int MAX_CONNECTIONS = 256;
    /** Per client address: at most this many open connections, and this many new ones a second. */
    public static final int MAX_CONNECTIONS_PER_ADDRESS = 32;
    public static final int ATTEMPTS_PER_SECOND_PER_ADDRESS = 20;
    public static final int IDLE_SECONDS = 300;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final io.palisade.legacy.ConnectionGate gate;
    /** Where Modbus/TCP Security clients are admitted: it reads the registry, which must not stall the I/O threads. */
    private final java.util.concurrent.ExecutorService admissions =
            io.palisade.legacy.DaemonThreads.pool("modbus-admissions", 2);
    private final Channel server;

    private ModbusProxy(InetSocketAddress listen, PlcRoutes plcs, ModbusFirewall firewall, EventSink events,
                        RefusalMode refusals, Optional<SecureClients> secure, BlockedAddresses blocked,
                        io.palisade.core.event.TrafficObserver traffic, Clock clock) throws InterruptedException {
        ModbusEvents modbusEvents = new ModbusEvents(events, clock);
        gate = new io.palisade.legacy.ConnectionGate("the Modbus port " + listen.getPort(),
                ATTEMPTS_PER_SECOND_PER_ADDRESS, MAX_CONNECTIONS_PER_ADDRESS, MAX_CONNECTIONS, clock);
        blocked.onBlock(address -> gate.clients().forEach(client -> {
            if (client.remoteAddress() instanceof InetSocketAddress remote
                    && remote.getAddress().getHostAddress().equals(address)) {
                client.close();
            }
        }));
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        String address = channel.remoteAddress().getAddress().getHostAddress();
                        if (blocked.blocked(address)) {
                            channel.close();
                            return;
                        }
                        if (!gate.admit(channel)) {
                            return;
                        }
                        secure.ifPresent(tls -> channel.pipeline().addLast("tls", tls.context().newHandler(channel.alloc())));
                        channel.pipeline()
                                .addLast("idle", new ReadTimeoutHandler(IDLE_SECONDS))
                                .addLast("mbap", new MbapFrameDecoder())
                                .addLast("firewall", new ModbusSession(plcs, firewall, modbusEvents, refusals, secure, traffic,
                                        admissions));
                    }
                })
                .bind(listen).sync().channel();
    }

    /** Listens on {@code listen} (port 0: a free one) and relays allowed requests to the PLCs of {@code plcs}. */
    public static ModbusProxy start(InetSocketAddress listen, PlcRoutes plcs, ModbusFirewall firewall,
                                    EventSink events, RefusalMode refusals, BlockedAddresses blocked, Clock clock)
            throws InterruptedException {
        return start(listen, plcs, firewall, events, refusals, blocked, io.palisade.core.event.TrafficObserver.NONE,
                clock);
    }

    /** The same, with legacy masters' allowed requests as traffic for detection, each learned about its address. */
    public static ModbusProxy start(InetSocketAddress listen, PlcRoutes plcs, ModbusFirewall firewall,
                                    EventSink events, RefusalMode refusals, BlockedAddresses blocked,
                                    io.palisade.core.event.TrafficObserver traffic, Clock clock)
            throws InterruptedException {
        return new ModbusProxy(listen, plcs, firewall, events, refusals, Optional.empty(), blocked, traffic, clock);
    }

    /**
     * Modbus/TCP Security: the same, behind TLS with a client certificate required (the standard port is 802); each
     * client is the device its certificate names, with the role it carries, for rules by identity and role.
     */
    public static ModbusProxy startSecure(InetSocketAddress listen, PlcRoutes plcs, ModbusFirewall firewall,
                                          EventSink events, RefusalMode refusals, SecureClients secure,
                                          BlockedAddresses blocked, io.palisade.core.event.TrafficObserver traffic,
                                          Clock clock) throws InterruptedException {
        return new ModbusProxy(listen, plcs, firewall, events, refusals, Optional.of(secure), blocked, traffic, clock);
    }

    /**
     * A device quarantined or revoked loses its open Modbus/TCP Security sessions at once (a new connection is refused
     * at its handshake); the proxy is registered as a device-change listener for this.
     */
    @Override
    public void deviceChanged(io.palisade.core.device.Device device, Change change) {
        if (change == Change.RELEASED) {
            return;
        }
        int cut = 0;
        for (Channel client : gate.clients()) {
            if (device.id().value().equals(client.attr(DEVICE).get())) {
                client.close();
                cut++;
            }
        }
        if (cut > 0) {
            LOG.log(System.Logger.Level.INFO, "closed " + cut + " Modbus/TCP Security session(s) of device " + device.id()
                    + ": " + change.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        gate.clients().close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        admissions.shutdownNow();
    }
}
