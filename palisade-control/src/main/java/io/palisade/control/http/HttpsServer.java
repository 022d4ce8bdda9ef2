package io.palisade.control.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.palisade.control.service.Events;
import io.palisade.core.limit.ConnectionBudget;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The HTTPS listener (default port 8443) carrying EST, the REST API and PKI downloads.
 *
 * <p>Limits: {@value #ATTEMPTS_PER_SECOND_PER_ADDRESS} connection attempts per second and
 * {@value #MAX_CONNECTIONS_PER_ADDRESS} open connections per address, a total from the descriptor budget
 * (all refused before TLS); per connection: request line 4 KiB, headers 8 KiB, body
 * {@value #MAX_BODY_BYTES} bytes, a complete request head within {@value #REQUEST_HEAD_SECONDS} s,
 * {@value #READ_TIMEOUT_SECONDS} s without a byte read. Requests run on a separate executor
 * group because they sign certificates and write to the store, which must not stall the I/O threads.
 */
public final class HttpsServer implements AutoCloseable {

    public static final int MAX_BODY_BYTES = 64 * 1024;
    public static final int READ_TIMEOUT_SECONDS = 30;
    /** A complete request head is due within this many seconds of connecting and of each response. */
    public static final int REQUEST_HEAD_SECONDS = 10;
    /** Connection attempts per second and open connections per address (admin tools, a NAT of devices). */
    public static final int ATTEMPTS_PER_SECOND_PER_ADDRESS = 1000;
    public static final int MAX_CONNECTIONS_PER_ADDRESS = 256;
    /** Connections beyond the total that only loopback (the operator's CLI on this host) may take. */
    public static final int LOOPBACK_RESERVE = 32;
    private static final int BLOCKING_THREADS = 8;

    private final EventLoopGroup bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workerGroup = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    private final EventExecutorGroup blockingGroup = new DefaultEventExecutorGroup(BLOCKING_THREADS);
    private final Channel channel;
    /** Open connections, closed before the executors stop so that their pipelines tear down cleanly. */
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    private HttpsServer(InetSocketAddress address, SslContext tls, Router router, Events events, int maxConnections)
            throws InterruptedException {
        ConnectionProblems problems = new ConnectionProblems(events);
        WaitingForHead waiting = new WaitingForHead();
        HttpConnectionGuard guard = new HttpConnectionGuard(new ConnectionBudget("the HTTPS port",
                ATTEMPTS_PER_SECOND_PER_ADDRESS, MAX_CONNECTIONS_PER_ADDRESS, maxConnections, LOOPBACK_RESERVE,
                remote -> remote.equals("127.0.0.1") || remote.equals("0:0:0:0:0:0:0:1"),
                java.time.Clock.systemUTC()), waiting, events);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline()
                                .addLast("guard", guard)
                                .addLast("tls", tls.newHandler(ch.alloc()))
                                .addLast("read-timeout", new ReadTimeoutHandler(READ_TIMEOUT_SECONDS))
                                .addLast("http", new HttpServerCodec(4096, 8192, 8192))
                                .addLast("head-deadline", new RequestHeadDeadline(REQUEST_HEAD_SECONDS, waiting))
                                .addLast("aggregate", new BodyLimit(MAX_BODY_BYTES, events))
                                .addLast(blockingGroup, "dispatch", new DispatchHandler(router, events))
                                .addLast("problems", problems);
                    }
                });
        try {
            this.channel = bootstrap.bind(address).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            shutdownGroups();
            throw e;
        }
    }

    /**
     * Binds {@code address} (port 0 picks a free port) and serves until {@link #close()}, with at most
     * {@code maxConnections} open connections (the port's share of the process's file descriptors).
     */
    public static HttpsServer start(InetSocketAddress address, SslContext tls, Router router, Events events,
                                    int maxConnections) throws InterruptedException {
        return new HttpsServer(address, tls, router, events, maxConnections);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        // Connections first, while every executor is alive: tearing a pipeline down hops between the I/O
        // loop and the dispatch handler's blocking group, and a stopped executor on either side makes
        // each open connection log a rejected task.
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        bossGroup.terminationFuture().syncUninterruptibly();
        workerGroup.terminationFuture().syncUninterruptibly();
        blockingGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        blockingGroup.terminationFuture().syncUninterruptibly();
    }

    private void shutdownGroups() {
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        blockingGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
}
