package io.palisade.legacy.overlay;

import io.netty.buffer.ByteBuf;
import io.palisade.core.event.TrafficObserver;
import io.palisade.core.modbus.ModbusRequest;
import io.palisade.legacy.modbus.ModbusTap;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Watches the client's side of a tunnel to a Modbus port: every request is decoded and becomes the subject's traffic
 * for detection (the same topics as Modbus/TCP Security clients; an operator's, as their address's), each write an event (at most
 * {@value #WRITE_EVENTS_PER_SECOND} a second per tunnel; the rest are counted), malformed requests violations; the
 * session record gets the counts per function. Bytes that are not Modbus/TCP at all end the tunnel.
 */
final class ModbusWatch {

    static final int WRITE_EVENTS_PER_SECOND = 10;

    private final Tunnel tunnel;
    private final TunnelEvents events;
    private final TrafficObserver traffic;
    private final ModbusTap tap = new ModbusTap();
    private final Map<Integer, Long> perFunction = new TreeMap<>();
    private long writes;
    private long writesNotRecorded;
    private long malformed;
    private long second = -1;
    private int recordedThisSecond;

    ModbusWatch(Tunnel tunnel, TunnelEvents events, TrafficObserver traffic) {
        this.tunnel = tunnel;
        this.events = events;
        this.traffic = traffic;
    }

    /** Looks at a chunk on its way to the host; says why the tunnel must end if the stream is not Modbus/TCP. */
    Optional<String> watch(ByteBuf chunk) {
        ModbusTap.Seen seen = tap.feed(chunk);
        for (ModbusTap.Decoded decoded : seen.requests()) {
            ModbusRequest request = decoded.request();
            perFunction.merge(request.function(), 1L, Long::sum);
            if (tunnel.subjectDevice() != null) {
                traffic.published(tunnel.subjectDevice(), ModbusTap.topic(request), ByteBuffer.wrap(decoded.pdu()));
            } else {
                traffic.publishedFrom(tunnel.address(), ModbusTap.topic(request), ByteBuffer.wrap(decoded.pdu()));
            }
            if (request.writes()) {
                writes++;
                if (mayRecord()) {
                    events.modbusWrite(tunnel, request);
                } else {
                    writesNotRecorded++;
                }
            }
        }
        seen.undecoded().forEach(function -> perFunction.merge(function, 1L, Long::sum));
        for (String reason : seen.malformed()) {
            malformed++;
            events.modbusMalformed(tunnel, reason);
        }
        return seen.broken().map(reason -> "the traffic to Modbus port " + tunnel.target().port()
                + " is not Modbus/TCP: " + reason);
    }

    /** For the session record: requests per function, writes, and what was not recorded one by one. */
    Map<String, String> summary() {
        return Map.of("modbus_requests", Long.toString(perFunction.values().stream().mapToLong(Long::longValue).sum()),
                "modbus_functions", perFunction.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                        .collect(Collectors.joining(",")),
                "modbus_writes", Long.toString(writes),
                "modbus_writes_not_recorded", Long.toString(writesNotRecorded),
                "modbus_malformed", Long.toString(malformed));
    }

    private boolean mayRecord() {
        long now = System.nanoTime() / 1_000_000_000L;
        if (now != second) {
            second = now;
            recordedThisSecond = 0;
        }
        return recordedThisSecond++ < WRITE_EVENTS_PER_SECOND;
    }
}
