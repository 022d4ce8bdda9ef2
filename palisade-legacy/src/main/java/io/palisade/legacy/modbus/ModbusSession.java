package io.palisade.legacy.modbus;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.palisade.core.modbus.ModbusClient;
import io.palisade.core.modbus.ModbusDecision;
import io.palisade.core.modbus.ModbusFirewall;
import io.palisade.core.modbus.ModbusRequest;
import java.net.InetSocketAddress;

/**
 * One client's connection through the proxy: it opens its own connection to the PLC (so transaction ids need no
 * rewriting), reads nothing from the client until that connection stands, then judges each frame and forwards what
 * is allowed unchanged; the PLC's answers go back unchanged. Either side closing closes the other. Reading pauses
 * on one side while the other cannot take more (no unbounded buffering).
 */
final class ModbusSession extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(ModbusSession.class.getName());

    private final InetSocketAddress plc;
    private final ModbusFirewall firewall;
    private final ModbusEvents events;
    private final RefusalMode refusals;
    private ModbusClient client;
    private Channel upstream;

    ModbusSession(InetSocketAddress plc, ModbusFirewall firewall, ModbusEvents events, RefusalMode refusals) {
        this.plc = plc;
        this.firewall = firewall;
        this.events = events;
        this.refusals = refusals;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel inbound = ctx.channel();
        client = ModbusClient.legacy(((InetSocketAddress) inbound.remoteAddress()).getAddress().getHostAddress());
        inbound.config().setAutoRead(false);
        new Bootstrap().group(inbound.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(new PlcRelay(inbound))
                .connect(plc).addListener((ChannelFutureListener) connected -> {
                    if (!connected.isSuccess()) {
                        LOG.log(System.Logger.Level.WARNING, "cannot reach the PLC at " + plc + " for " + client.describe()
                                + ": " + connected.cause().getMessage());
                        inbound.close();
                        return;
                    }
                    upstream = connected.channel();
                    upstream.closeFuture().addListener(closed -> inbound.close());
                    inbound.config().setAutoRead(true);
                });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof MalformedFrame malformed) {
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
        upstream.writeAndFlush(Unpooled.wrappedBuffer(frame.raw()));
        if (!upstream.isWritable()) {
            ctx.channel().config().setAutoRead(false); // the PLC is slower than the client: wait for it
        }
    }

    private void refuse(ChannelHandlerContext ctx, MbapFrame frame, int code) {
        if (refusals == RefusalMode.EXCEPTION && frame.function() < 0x80) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(ModbusReplies.exception(frame, code)));
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (upstream != null) {
            upstream.config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (upstream != null) {
            upstream.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "Modbus client " + (client == null ? "?" : client.describe()) + ": "
                + cause.getMessage());
        ctx.close();
    }

    /** The PLC's side: answers go back to the client as they are. */
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
