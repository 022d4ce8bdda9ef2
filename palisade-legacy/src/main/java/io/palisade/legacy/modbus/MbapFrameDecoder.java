package io.palisade.legacy.modbus;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the byte stream into MBAP frames. It never throws: a frame whose protocol id is not 0 or whose length field
 * is outside 2-254 becomes one {@link MalformedFrame} and decoding stops for good (the stream has lost its framing).
 * At most {@value MbapFrame#HEADER_BYTES} + 253 bytes are ever buffered per connection.
 */
final class MbapFrameDecoder extends ByteToMessageDecoder {

    private boolean broken;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        broken = cut(in, out);
    }

    /**
     * Moves every whole frame at the front of {@code in} to {@code out} as an {@link MbapFrame}; on a broken header,
     * skips everything, adds one {@link MalformedFrame} and answers true (the stream has lost its framing).
     */
    static boolean cut(ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= MbapFrame.HEADER_BYTES) {
            int start = in.readerIndex();
            int protocol = in.getUnsignedShort(start + 2);
            int length = in.getUnsignedShort(start + 4);
            if (protocol != 0) {
                return fail(in, out, "MBAP protocol id " + protocol + " (Modbus is 0)");
            }
            if (length < 2 || length > MbapFrame.MAX_PDU_BYTES + 1) {
                return fail(in, out, "MBAP length " + length + " (a unit id and a PDU of 1-253 bytes make 2-254)");
            }
            int total = MbapFrame.HEADER_BYTES - 1 + length;
            if (in.readableBytes() < total) {
                return false;
            }
            byte[] raw = new byte[total];
            in.readBytes(raw);
            byte[] pdu = java.util.Arrays.copyOfRange(raw, MbapFrame.HEADER_BYTES, total);
            out.add(new MbapFrame(((raw[0] & 0xFF) << 8) | (raw[1] & 0xFF), raw[6] & 0xFF, pdu, raw));
        }
        return false;
    }

    private static boolean fail(ByteBuf in, List<Object> out, String reason) {
        in.skipBytes(in.readableBytes());
        out.add(new MalformedFrame(reason));
        return true;
    }
}
