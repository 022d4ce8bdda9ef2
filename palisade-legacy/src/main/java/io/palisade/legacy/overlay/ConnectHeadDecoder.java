package io.palisade.legacy.overlay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Reads the tunnel request's head (up to {@value ConnectRequest#MAX_HEAD_BYTES} bytes, through the blank line), then
 * takes itself out of the pipeline: the bytes after the head (a client may send data before the answer) go on, in
 * order, to the next handler. Emits a {@link ConnectRequest} or a {@link BadRequest}.
 */
final class ConnectHeadDecoder extends ByteToMessageDecoder {

    /** A head that cannot be read, with why. */
    record BadRequest(String reason) {
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int end = endOfHead(in);
        if (end < 0) {
            if (in.readableBytes() >= ConnectRequest.MAX_HEAD_BYTES) {
                in.skipBytes(in.readableBytes());
                out.add(new BadRequest("no end of the request head within " + ConnectRequest.MAX_HEAD_BYTES + " bytes"));
                ctx.pipeline().remove(this);
            }
            return;
        }
        byte[] head = new byte[end - in.readerIndex()];
        in.readBytes(head);
        try {
            out.add(ConnectRequest.parse(head));
        } catch (IllegalArgumentException e) {
            out.add(new BadRequest(e.getMessage()));
        }
        ctx.pipeline().remove(this);
    }

    /** The index just past {@code \r\n\r\n} within the first bytes, or -1. */
    private static int endOfHead(ByteBuf in) {
        int limit = Math.min(in.writerIndex(), in.readerIndex() + ConnectRequest.MAX_HEAD_BYTES);
        for (int i = in.readerIndex(); i + 3 < limit; i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r'
                    && in.getByte(i + 3) == '\n') {
                return i + 4;
            }
        }
        return -1;
    }
}
