package io.palisade.legacy.modbus;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.palisade.core.modbus.ModbusRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes the Modbus/TCP requests of a byte stream it only watches: a tunnel relays the bytes unchanged and hands a
 * view of each chunk here, so the requests inside can become events and detection's traffic. It holds at most one
 * partial frame (260 bytes); once the framing breaks it says so once and decodes no more.
 */
public final class ModbusTap {

    /**
     * What one chunk held: the requests decoded, in order; the function codes of requests Palisade does not decode
     * (diagnostics, device identification, ...); why requests were malformed; and whether framing broke.
     */
    public record Seen(List<Decoded> requests, List<Integer> undecoded, List<String> malformed,
                       Optional<String> broken) {
    }

    /** A decoded request and its PDU as sent. */
    public record Decoded(ModbusRequest request, byte[] pdu) {
    }

    private final ByteBuf pending = Unpooled.buffer(MbapFrame.HEADER_BYTES + MbapFrame.MAX_PDU_BYTES);
    private boolean broken;

    /** Reads {@code chunk}'s readable bytes without consuming them. */
    public Seen feed(ByteBuf chunk) {
        if (broken) {
            return new Seen(List.of(), List.of(), List.of(), Optional.empty());
        }
        pending.writeBytes(chunk, chunk.readerIndex(), chunk.readableBytes());
        List<Object> frames = new ArrayList<>();
        broken = MbapFrameDecoder.cut(pending, frames);
        pending.discardReadBytes();
        List<Decoded> requests = new ArrayList<>();
        List<Integer> undecoded = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        Optional<String> brokenBy = Optional.empty();
        for (Object frame : frames) {
            if (frame instanceof MalformedFrame broke) {
                brokenBy = Optional.of(broke.reason());
            } else if (frame instanceof MbapFrame mbap) {
                ParsedPdu parsed = ModbusPdus.parse(mbap.unit(), mbap.pdu());
                if (parsed.request().isPresent()) {
                    requests.add(new Decoded(parsed.request().get(), mbap.pdu()));
                } else if (parsed.exceptionCode() == io.palisade.core.modbus.ModbusDecision.ILLEGAL_FUNCTION) {
                    undecoded.add(mbap.function());
                } else {
                    malformed.add("unit " + mbap.unit() + " function " + mbap.function() + ": " + parsed.violation());
                }
            }
        }
        if (broken) {
            pending.release();
        }
        return new Seen(requests, undecoded, malformed, brokenBy);
    }

    /** How detection sees a request: {@code modbus/UNIT/FUNCTION/TABLE/BLOCK} (as for Modbus/TCP Security clients). */
    public static String topic(ModbusRequest request) {
        return ModbusTraffic.topic(request);
    }
}
