package io.palisade.legacy.overlay;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.palisade.core.event.TrafficObserver;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One client's tunnel: TLS handshake (client certificate required), the {@code CONNECT} head, admission (off the I/O
 * thread), the connection to the legacy host, then bytes both ways, counted, until either side closes or the tunnel
 * is cut (grant revoked or expired, either end quarantined or revoked). Bytes the client sends before the answer wait,
 * at most {@value #MAX_EARLY_BYTES}. Reading pauses on either side while the other cannot take more.
 */
final class TunnelSession extends ChannelInboundHandlerAdapter {

    static final int MAX_EARLY_BYTES = 64 * 1024;
    static final int HOST_CONNECT_TIMEOUT_MILLIS = 5_000;

    private final TunnelAdmission admission;
    private final Executor admissions;
    private final TunnelEvents events;
    private final TrafficObserver traffic;
    private final TunnelRegistry registry;
    private final Clock clock;
    private final Queue<ByteBuf> early = new ArrayDeque<>();
    private int earlyBytes;
    private String address;
    private List<X509Certificate> chain = List.of();
    private Tunnel tunnel;
    private Channel host;
    private Optional<ModbusWatch> modbus = Optional.empty();
    private Instant opened;
    private long bytesUp;
    private long bytesDown;
    private String endReason = "the client closed the tunnel";
    /** The cut at the grant's end; cancelled when the tunnel ends first (a grant may last days). */
    private io.netty.util.concurrent.ScheduledFuture<?> expiry;

    TunnelSession(TunnelAdmission admission, Executor admissions, TunnelEvents events, TrafficObserver traffic,
                  TunnelRegistry registry, Clock clock) {
        this.admission = admission;
        this.admissions = admissions;
        this.events = events;
        this.traffic = traffic;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                events.handshakeFailed(address, String.valueOf(done.cause().getMessage()));
                ctx.close();
                return;
            }
            List<X509Certificate> peer = new ArrayList<>();
            for (Certificate certificate : ctx.pipeline().get(SslHandler.class).engine().getSession()
                    .getPeerCertificates()) {
                peer.add((X509Certificate) certificate);
            }
            chain = peer;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof ConnectRequest request) {
            ctx.channel().config().setAutoRead(false);
            List<X509Certificate> presented = chain;
            admissions.execute(() -> {
                TunnelAdmission.Result result = admission.admit(presented, request);
                ctx.executor().execute(() -> admitted(ctx, request, result));
            });
        } else if (message instanceof ConnectHeadDecoder.BadRequest bad) {
            events.badRequest(address, Optional.empty(), bad.reason());
            answer(ctx, "400 Bad Request", bad.reason()).addListener(ChannelFutureListener.CLOSE);
        } else if (message instanceof ByteBuf bytes) {
            fromClient(ctx, bytes);
        } else {
            ReferenceCountUtil.release(message);
        }
    }

    private void fromClient(ChannelHandlerContext ctx, ByteBuf bytes) {
        if (host == null || !host.isActive()) {
            earlyBytes += bytes.readableBytes();
            early.add(bytes);
            if (earlyBytes > MAX_EARLY_BYTES) {
                endReason = "the client sent more than " + MAX_EARLY_BYTES + " bytes before its tunnel opened";
                ctx.close();
            }
            return;
        }
        bytesUp += bytes.readableBytes();
        if (modbus.isPresent()) {
            Optional<String> notModbus = modbus.get().watch(bytes);
            if (notModbus.isPresent()) {
                bytes.release();
                cut(ctx.channel(), notModbus.get());
                return;
            }
        }
        host.writeAndFlush(bytes);
        if (!host.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void admitted(ChannelHandlerContext ctx, ConnectRequest request, TunnelAdmission.Result result) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (!result.allowed()) {
            events.refused(address, result, request);
            answer(ctx, "403 Forbidden", result.reason()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        tunnel = new Tunnel(result.subject().get(), address, request, result.grant().get(), result.host().get());
        new Bootstrap().group(ctx.channel().eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, HOST_CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new HostSide(ctx.channel()))
                .connect(tunnel.host().address(), request.port())
                .addListener((ChannelFutureListener) connected -> hostConnected(ctx, connected));
    }

    private void hostConnected(ChannelHandlerContext ctx, io.netty.channel.ChannelFuture connected) {
        if (!connected.isSuccess()) {
            String reason = "cannot reach " + tunnel.target() + " at " + tunnel.host().address() + ":"
                    + tunnel.target().port() + ": " + connected.cause().getMessage();
            events.unreachable(tunnel, reason);
            answer(ctx, "502 Bad Gateway", reason).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (!ctx.channel().isActive()) {
            connected.channel().close();
            return;
        }
        host = connected.channel();
        opened = clock.instant();
        if (tunnel.modbus()) {
            modbus = Optional.of(new ModbusWatch(tunnel, events, traffic));
        }
        registry.add(ctx.channel(), tunnel);
        events.opened(tunnel);
        long untilExpiry = Duration.between(clock.instant(), tunnel.grant().expires()).toMillis();
        expiry = ctx.executor().schedule(() -> cut(ctx.channel(), "grant " + tunnel.grant().id() + " expired"),
                Math.max(0, untilExpiry), TimeUnit.MILLISECONDS);
        if (ctx.pipeline().get("head-deadline") != null) {
            ctx.pipeline().remove("head-deadline");
        }
        answer(ctx, "200 Connection Established", "");
        while (!early.isEmpty()) {
            fromClient(ctx, early.poll());
        }
        earlyBytes = 0;
        host.config().setAutoRead(true);
        ctx.channel().config().setAutoRead(true);
    }

    /** Ends the tunnel with a reason for its record; safe from any thread. */
    static void cut(Channel client, String reason) {
        client.eventLoop().execute(() -> {
            TunnelSession session = client.pipeline().get(TunnelSession.class);
            if (session != null && client.isActive()) {
                session.endReason = reason;
                client.close();
            }
        });
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (host != null) {
            host.config().setAutoRead(ctx.channel().isWritable());
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (expiry != null) {
            expiry.cancel(false);
        }
        early.forEach(ByteBuf::release);
        early.clear();
        if (host != null) {
            host.close();
        }
        if (opened != null) {
            events.closed(tunnel, bytesUp, bytesDown, Duration.between(opened, clock.instant()), endReason,
                    modbus.map(ModbusWatch::summary).orElse(Map.of()));
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof io.netty.handler.timeout.ReadTimeoutException) {
            endReason = "no tunnel request within the deadline";
        } else if (opened == null && tunnel == null) {
            endReason = cause.getMessage();
        }
        ctx.close();
    }

    private static io.netty.channel.ChannelFuture answer(ChannelHandlerContext ctx, String status, String reason) {
        String body = reason.isEmpty() ? "" : reason + "\n";
        String head = "HTTP/1.1 " + status + "\r\n" + (reason.isEmpty() ? "" : "Content-Type: text/plain\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n")
                + "\r\n";
        return ctx.writeAndFlush(Unpooled.copiedBuffer(head + body, StandardCharsets.UTF_8));
    }

    /** The host's side: its bytes go to the client, counted; its end ends the tunnel. */
    private final class HostSide extends ChannelInboundHandlerAdapter {
        private final Channel client;

        HostSide(Channel client) {
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            ByteBuf bytes = (ByteBuf) message;
            bytesDown += bytes.readableBytes();
            client.writeAndFlush(bytes);
            if (!client.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            client.config().setAutoRead(ctx.channel().isWritable());
            super.channelWritabilityChanged(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (client.isActive()) {
                cut(client, "the host closed the connection");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            cut(client, "the host's connection failed: " + cause.getMessage());
            ctx.close();
        }
    }
}
