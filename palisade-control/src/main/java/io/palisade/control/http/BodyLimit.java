package io.palisade.control.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.palisade.control.service.Events;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;

/** Aggregates request bodies up to a limit; a larger body gets Netty's 413 and a recorded event. */
final class BodyLimit extends HttpObjectAggregator {

    private final Events events;

    BodyLimit(int maxBytes, Events events) {
        super(maxBytes);
        this.events = events;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        events.emit(EventType.PROTOCOL_VIOLATION, Severity.MEDIUM, null, Addresses.remote(ctx.channel()),
                "HTTP request body larger than " + maxContentLength() + " bytes refused");
        super.handleOversizedMessage(ctx, oversized);
    }
}
