package io.palisade.control.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
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
 *
 * <p>Optionally the REST API is also served over a Unix domain socket in the data directory (mode 0600 in a
 * 0700 directory, so only the instance's own user reaches it; the admin token is still required), the way
 * container and database daemons serve their local CLI: {@code palisade} commands on the same host skip the
 * TLS handshake, which was about a third of an API command's wall time. Only {@code /api/} and
 * {@code /health} are served there; it has its own small connection budget and the same request limits.
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
    /** Concurrent connections on the local API socket (operators' commands and scripts on this host). */
    public static final int LOCAL_MAX_CONNECTIONS = 64;
    /** Longest Unix socket path the kernel accepts (sun_path, including the terminating NUL). */
    private static final int MAX_SOCKET_PATH_BYTES = 107;
    private static final System.Logger LOG = System.getLogger(HttpsServer.class.getName());

    private final EventLoopGroup bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workerGroup = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    private final EventExecutorGroup blockingGroup = new DefaultEventExecutorGroup(BLOCKING_THREADS);
    private final Channel channel;
    private final Optional<Channel> localChannel;
    private final Optional<Path> localSocket;
    /** Open connections, closed before the executors stop so that their pipelines tear down cleanly. */
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    private HttpsServer(InetSocketAddress address, SslContext tls, Router router, Events events, int maxConnections,
                        Optional<Path> localSocket) throws InterruptedException {
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
                                .addLast("tls", tls.newHandler(ch.alloc()));
                        addHttpHandlers(ch.pipeline(), waiting, router::dispatch, events, problems);
                    }
                });
        Channel bound = null;
        try {
            bound = bootstrap.bind(address).sync().channel();
            this.localSocket = localSocket.filter(HttpsServer::fitsSocketPath);
            this.localChannel = this.localSocket.isPresent()
                    ? Optional.of(bindLocal(this.localSocket.get(), router, events, problems)) : Optional.empty();
        } catch (IOException e) {
            closeAfterFailedStart(bound);
            throw new java.io.UncheckedIOException("cannot serve the local API socket: " + e.getMessage(), e);
        } catch (RuntimeException | InterruptedException e) {
            closeAfterFailedStart(bound);
            throw e;
        }
        this.channel = bound;
    }

    private void closeAfterFailedStart(Channel bound) {
        if (bound != null) {
            bound.close().syncUninterruptibly();
        }
        shutdownGroups();
    }

    /** The handlers after TLS (or after the socket, locally): HTTP framing, limits and the dispatcher. */
    private void addHttpHandlers(ChannelPipeline pipeline, WaitingForHead waiting,
                                 java.util.function.Function<HttpCall, HttpReply> dispatcher, Events events,
                                 ConnectionProblems problems) {
        pipeline.addLast("read-timeout", new ReadTimeoutHandler(READ_TIMEOUT_SECONDS))
                .addLast("http", new HttpServerCodec(4096, 8192, 8192))
                .addLast("head-deadline", new RequestHeadDeadline(REQUEST_HEAD_SECONDS, waiting))
                .addLast("aggregate", new BodyLimit(MAX_BODY_BYTES, events))
                .addLast(blockingGroup, "dispatch", new DispatchHandler(dispatcher, events))
                .addLast("problems", problems);
    }

    /**
     * Binds the local API socket, replacing a file left by an instance that did not stop cleanly (the
     * instance lock guarantees no other instance is using this data directory).
     */
    private Channel bindLocal(Path socket, Router router, Events events, ConnectionProblems problems)
            throws IOException, InterruptedException {
        Files.deleteIfExists(socket);
        WaitingForHead waiting = new WaitingForHead();
        HttpConnectionGuard guard = new HttpConnectionGuard(new ConnectionBudget("the local API socket",
                ATTEMPTS_PER_SECOND_PER_ADDRESS, LOCAL_MAX_CONNECTIONS, LOCAL_MAX_CONNECTIONS, 0, remote -> false,
                java.time.Clock.systemUTC()), waiting, events);
        java.util.function.Function<HttpCall, HttpReply> apiOnly = call ->
                call.path().startsWith("/api/") || call.path().equals("/health") ? router.dispatch(call)
                        : HttpReply.text(404, "only the REST API is served on the local socket; " + call.path()
                        + " is on the HTTPS port");
        Channel bound = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerDomainSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast("guard", guard);
                        addHttpHandlers(ch.pipeline(), waiting, apiOnly, events, problems);
                    }
                })
                .bind(UnixDomainSocketAddress.of(socket)).sync().channel();
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        return bound;
    }

    private static boolean fitsSocketPath(Path socket) {
        if (socket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH_BYTES) {
            return true;
        }
        LOG.log(System.Logger.Level.WARNING, "not serving the API on a local socket: the path " + socket
                + " is longer than the " + MAX_SOCKET_PATH_BYTES + " bytes a Unix socket path may have;"
                + " commands on this host use HTTPS instead");
        return false;
    }

    /**
     * Binds {@code address} (port 0 picks a free port) and serves until {@link #close()}, with at most
     * {@code maxConnections} open connections (the port's share of the process's file descriptors).
     */
    public static HttpsServer start(InetSocketAddress address, SslContext tls, Router router, Events events,
                                    int maxConnections) throws InterruptedException {
        return new HttpsServer(address, tls, router, events, maxConnections, Optional.empty());
    }

    /** As {@link #start}, also serving the REST API on the Unix domain socket {@code localSocket}. */
    public static HttpsServer start(InetSocketAddress address, SslContext tls, Router router, Events events,
                                    int maxConnections, Path localSocket) throws InterruptedException {
        return new HttpsServer(address, tls, router, events, maxConnections, Optional.of(localSocket));
    }

    /** The local API socket, when one is served. */
    public Optional<Path> localSocket() {
        return localChannel.isPresent() ? localSocket : Optional.empty();
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        localChannel.ifPresent(local -> local.close().syncUninterruptibly());
        localSocket.ifPresent(HttpsServer::deleteQuietly);
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

    private static void deleteQuietly(Path socket) {
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not remove the local API socket " + socket + ": " + e);
        }
    }

    private void shutdownGroups() {
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        blockingGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
}
