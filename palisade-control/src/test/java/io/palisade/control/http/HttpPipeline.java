package io.palisade.control.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.palisade.control.service.EnrollmentService;
import io.palisade.control.service.Events;
import java.nio.charset.StandardCharsets;

/**
 * The HTTPS pipeline minus TLS on an {@link EmbeddedChannel}, with the real EST routes, so that
 * tests and the fuzz target drive exactly the code that parses what a client sends.
 */
final class HttpPipeline {

    private HttpPipeline() {
    }

    static EmbeddedChannel channel(EnrollmentService enrollment, Events events, int maxBody) {
        Router router = new Router();
        new EstRoutes(enrollment).register(router);
        return new EmbeddedChannel(new HttpServerCodec(4096, 8192, 8192), new BodyLimit(maxBody, events),
                new DispatchHandler(router::dispatch, events));
    }

    /** Writes raw bytes as a client would and returns everything the server answered, as text. */
    static String exchange(EmbeddedChannel channel, byte[] request) {
        channel.writeInbound(Unpooled.wrappedBuffer(request));
        StringBuilder answer = new StringBuilder();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            answer.append(out.toString(StandardCharsets.ISO_8859_1));
            out.release();
        }
        return answer.toString();
    }
}
