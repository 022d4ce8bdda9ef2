package io.palisade.legacy.modbus;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.palisade.core.modbus.ModbusClient;
import io.palisade.core.modbus.ModbusDecision;
import io.palisade.core.modbus.ModbusFirewall;
import io.palisade.core.modbus.ModbusRequest;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;

/**
 * One client's connection through the proxy. Each frame is judged; an allowed one goes, byte for byte, to the PLC
 * that serves its unit ({@link PlcRoutes}), over a connection of this client's own to that PLC, opened at its first
 * request (so transaction ids need no rewriting) and reopened after it closes. Frames wait in order while their
 * PLC's connection opens; a unit no PLC serves gets exception 10, an unreachable PLC exception 11. The PLCs' answers
 * go back unchanged. All of it runs on the client's event loop; reading pauses on either side while the other cannot
 * take more. Allowed requests are also traffic for detection: a Modbus/TCP Security client's as its device's, a
 * legacy master's as its address's
 * ({@link ModbusTraffic}).
 */
final class ModbusSession extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(ModbusSession.class.getName());

    /** A PLC connection of this client: opening (frames wait) or open. */
    private static final class Upstream {
        final Queue<MbapFrame> waiting = new ArrayDeque<>();
        Channel channel;
        boolean open;
    }

    private final PlcRoutes plcs;
    private final ModbusFirewall firewall;
    private final ModbusEvents events;
    private final RefusalMode refusals;
    private final Map<InetSocketAddress, Upstream> upstreams = new HashMap<>();
    private final Optional<SecureClients> secure;
    private final io.palisade.core.event.TrafficObserver traffic;
    private final java.util.concurrent.Executor admissions;
    /** Frames that came with the TLS handshake, before admission; at most {@value #MAX_EARLY_FRAMES}. */
    private final Queue<Object> early = new ArrayDeque<>();
    static final int MAX_EARLY_FRAMES = 16;
    private boolean admitting;
    private String address;
    /** Who the client is: known at once for a plain client, after the handshake for a Modbus/TCP Security one. */
    private ModbusClient client;

    ModbusSession(PlcRoutes plcs, ModbusFirewall firewall, ModbusEvents events, RefusalMode refusals,
                  Optional<SecureClients> secure, io.palisade.core.event.TrafficObserver traffic,
                  java.util.concurrent.Executor admissions) {
        this.traffic = traffic;
        this.admissions = admissions;
        this.plcs = plcs;
        this.firewall = firewall;
        this.events = events;
        this.refusals = refusals;
        this.secure = secure;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
        if (secure.isEmpty()) {
            client = ModbusClient.legacy(address);
        }
        super.channelActive(ctx);
    }

    /**
     * After the TLS handshake: the certificate's device must be admitted before any frame is judged. Admission reads
     * the registry, so it runs on {@code admissions} (never a store call on the I/O thread); frames that arrived with
     * the handshake wait, in order, and reading pauses meanwhile.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent done && secure.isPresent()) {
            if (!done.isSuccess()) {
                events.clientRefused(address, Optional.empty(), "TLS handshake failed: " + done.cause().getMessage());
                ctx.close();
                return;
            }
            java.util.List<java.security.cert.X509Certificate> chain = new java.util.ArrayList<>();
            for (java.security.cert.Certificate certificate : ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class)
                    .engine().getSession().getPeerCertificates()) {
                chain.add((java.security.cert.X509Certificate) certificate);
            }
            ctx.channel().config().setAutoRead(false);
            admitting = true;
            admissions.execute(() -> {
                SecureClients.Admission admission = secure.get().admit(chain, address);
                ctx.executor().execute(() -> admitted(ctx, admission));
            });
        }
        super.userEventTriggered(ctx, event);
    }

    private void admitted(ChannelHandlerContext ctx, SecureClients.Admission admission) {
        admitting = false;
        if (!ctx.channel().isActive()) {
            return;
        }
        if (admission.client().isEmpty()) {
            events.clientRefused(address, admission.claimed(), admission.reason());
            early.clear();
            ctx.close();
            return;
        }
        client = admission.client().get();
        client.identity().ifPresent(id -> ctx.channel().attr(ModbusProxy.DEVICE).set(id));
        events.clientAdmitted(client);
        while (!early.isEmpty() && ctx.channel().isActive()) {
            channelRead(ctx, early.poll());
        }
        if (upstreams.values().stream().allMatch(upstream -> upstream.open)) {
            ctx.channel().config().setAutoRead(true); // else the PLC connection being opened resumes reading
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (client == null) {
            if (admitting && early.size() < MAX_EARLY_FRAMES && !(message instanceof io.netty.util.ReferenceCounted)) {
                early.add(message); // sent with the handshake: judged once the client is admitted
                return;
            }
            io.netty.util.ReferenceCountUtil.release(message);
            ctx.close(); // nothing is read from a secure client before it is admitted
        } else if (message instanceof MalformedFrame malformed) {
            events.brokenFraming(client, malformed.reason());
            ctx.close();
        } else if (message instanceof MbapFrame frame) {
            judge(ctx, frame);
        }
    }

    private void judge(ChannelHandlerContext ctx, MbapFrame frame) {
        ParsedPdu parsed = ModbusPdus.parse(frame.unit(), frame.pdu());
        if (parsed.request().isEmpty()) {
            events.violation(client, frame.unit(), frame.function(), parsed.violation());
            refuse(ctx, frame, parsed.exceptionCode());
            return;
        }
        ModbusRequest request = parsed.request().get();
        ModbusDecision decision = firewall.decide(client, request);
        if (!decision.allowed()) {
            events.refused(client, request, decision);
            refuse(ctx, frame, decision.exceptionCode());
            return;
        }
        Optional<InetSocketAddress> plc = plcs.plcFor(frame.unit());
        if (plc.isEmpty()) {
            events.refused(client, request, ModbusDecision.refuse("no-route", "no PLC serves unit " + frame.unit(),
                    ModbusDecision.GATEWAY_PATH_UNAVAILABLE));
            refuse(ctx, frame, ModbusDecision.GATEWAY_PATH_UNAVAILABLE);
            return;
        }
        if (client.identity().isPresent()) {
            traffic.published(io.palisade.core.device.DeviceId.of(client.identity().get()),
                    ModbusTraffic.topic(request), java.nio.ByteBuffer.wrap(frame.pdu()));
        } else {
            traffic.publishedFrom(client.address(), ModbusTraffic.topic(request), java.nio.ByteBuffer.wrap(frame.pdu()));
        }
        forward(ctx, plc.get(), frame);
    }

    private void forward(ChannelHandlerContext ctx, InetSocketAddress plc, MbapFrame frame) {
        Upstream upstream = upstreams.get(plc);
        if (upstream == null) {
            upstream = connect(ctx, plc);
        }
        if (!upstream.open) {
            upstream.waiting.add(frame);
            ctx.channel().config().setAutoRead(false); // until the PLC's connection stands (order is kept)
            return;
        }
        upstream.channel.writeAndFlush(Unpooled.wrappedBuffer(frame.raw()));
        if (!upstream.channel.isWritable()) {
            ctx.channel().config().setAutoRead(false); // the PLC is slower than the client: wait for it
        }
    }

    private Upstream connect(ChannelHandlerContext ctx, InetSocketAddress plc) {
        Upstream upstream = new Upstream();
        upstreams.put(plc, upstream);
        Channel inbound = ctx.channel();
        ChannelFuture connecting = new Bootstrap().group(inbound.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new PlcRelay(inbound))
                .connect(plc);
        upstream.channel = connecting.channel();
        connecting.addListener(done -> {
            if (!done.isSuccess()) {
                LOG.log(System.Logger.Level.WARNING, "cannot reach the PLC at " + plc + " for " + client.describe()
                        + ": " + done.cause().getMessage());
                upstreams.remove(plc);
                for (MbapFrame waiting : upstream.waiting) {
                    refuse(ctx, waiting, ModbusDecision.GATEWAY_TARGET_FAILED);
                }
            } else {
                upstream.open = true;
                upstream.channel.closeFuture().addListener(closed -> upstreams.remove(plc, upstream));
                for (MbapFrame waiting : upstream.waiting) {
                    upstream.channel.write(Unpooled.wrappedBuffer(waiting.raw()));
                }
                upstream.channel.flush();
            }
            upstream.waiting.clear();
            if (upstreams.values().stream().allMatch(u -> u.open)) {
                inbound.config().setAutoRead(true);
            }
        });
        return upstream;
    }

    private void refuse(ChannelHandlerContext ctx, MbapFrame frame, int code) {
        if (refusals == RefusalMode.EXCEPTION && frame.function() < 0x80) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(ModbusReplies.exception(frame, code)));
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        upstreams.values().forEach(upstream -> upstream.channel.config().setAutoRead(writable));
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        upstreams.values().forEach(upstream -> upstream.channel.close());
        upstreams.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "Modbus client " + (client == null ? address : client.describe()) + ": "
                + cause.getMessage());
        ctx.close();
    }

    /** A PLC's side: answers go back to the client as they are. */
    private static final class PlcRelay extends ChannelInboundHandlerAdapter {
        private final Channel inbound;

        PlcRelay(Channel inbound) {
            this.inbound = inbound;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            inbound.writeAndFlush((ByteBuf) message);
            if (!inbound.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            inbound.config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
