package io.palisade.control.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.palisade.control.service.Events;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Turns a Netty request into an {@link HttpCall}, lets the {@link Router} answer, and writes the reply
 * with headers that keep responses out of caches and browsers from sniffing types.
 */
final class DispatchHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final System.Logger LOG = System.getLogger(DispatchHandler.class.getName());

    /** Headers a request may carry once: a second copy is refused, never resolved by "last wins". */
    private static final List<String> SINGLE_VALUED = List.of("authorization", "content-type", "content-length",
            "host");

    private final java.util.function.Function<HttpCall, HttpReply> router;
    private final Events events;

    DispatchHandler(java.util.function.Function<HttpCall, HttpReply> router, Events events) {
        this.router = router;
        this.events = events;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String address = Addresses.remote(ctx.channel());
        if (request.decoderResult().isFailure()) {
            events.emit(EventType.PROTOCOL_VIOLATION, Severity.LOW, null, address,
                    "malformed HTTP request: " + request.decoderResult().cause().getMessage());
            write(ctx, HttpReply.text(400, "malformed HTTP request"), false);
            return;
        }
        for (String single : SINGLE_VALUED) {
            if (request.headers().getAll(single).size() > 1) {
                // Which copy would win differs between proxies and servers: refuse instead of guessing.
                events.emit(EventType.PROTOCOL_VIOLATION, Severity.LOW, null, address,
                        "HTTP request with more than one " + single + " header");
                write(ctx, HttpReply.text(400, "more than one " + single + " header"), false);
                return;
            }
        }
        HttpReply reply;
        try {
            reply = router.apply(toCall(ctx, request, address));
        } catch (io.palisade.store.StoreException e) {
            // The database is down or saturated: a condition to wait out, not a bug. The log names the pool's
            // state and the database's error; the client learns only that it should retry.
            LOG.log(System.Logger.Level.ERROR, request.method() + " " + request.uri() + " from " + address
                    + " failed: " + e.getMessage());
            reply = HttpReply.text(503, "the store is unavailable; retry later").withHeader("Retry-After", "5");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "internal error answering " + request.method() + " "
                    + request.uri() + " from " + address, e);
            reply = HttpReply.text(500, "internal error; the server log has the details");
        }
        write(ctx, reply, HttpUtil.isKeepAlive(request) && reply.status() < 500);
    }

    private static HttpCall toCall(ChannelHandlerContext ctx, FullHttpRequest request, String address) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        Map<String, String> query = new HashMap<>();
        uri.parameters().forEach((k, v) -> query.put(k, v.get(v.size() - 1)));
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        return new HttpCall(request.method().name(), uri.path(), query, headers,
                ByteBufUtil.getBytes(request.content()), address, clientCertificates(ctx));
    }

    private static List<X509Certificate> clientCertificates(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls == null) {
            return List.of();
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate certificate : tls.engine().getSession().getPeerCertificates()) {
                if (certificate instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
            return chain;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    /** No caching, no type sniffing, HTTPS only from now on; then the route's own headers, which may override. */
    private static void commonHeaders(io.netty.handler.codec.http.HttpResponse response, HttpReply reply) {
        response.headers()
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Content-Type-Options", "nosniff")
                .set("Strict-Transport-Security", "max-age=31536000");
        reply.headers().forEach(response.headers()::set);
    }

    private static void write(ChannelHandlerContext ctx, HttpReply reply, boolean keepAlive) {
        if (reply.streaming()) {
            io.netty.handler.codec.http.HttpResponse head = StreamedReply.head(reply);
            commonHeaders(head, reply);
            StreamedReply.start(ctx, head, reply.stream());
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.body()));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
                .set(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
        commonHeaders(response, reply);
        if (keepAlive) {
            HttpUtil.setKeepAlive(response, true);
            ctx.writeAndFlush(response);
        } else {
            HttpUtil.setKeepAlive(response, false);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
