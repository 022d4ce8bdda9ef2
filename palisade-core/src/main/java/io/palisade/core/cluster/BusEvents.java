package io.palisade.core.cluster;

import io.palisade.core.event.EventJson;
import io.palisade.core.event.SecurityEvent;
import java.nio.charset.StandardCharsets;

/**
 * One security event as a record of the shared event log: its JSON (without a store id, which the store assigns),
 * keyed by the device it concerns or else its source, so that each device's events keep their order. Decoding
 * refuses, with the reason, anything that is not such a record: the log may hold what a broken or hostile writer
 * put there.
 */
public final class BusEvents {

    public static final int MAX_BYTES = 64 * 1024;

    private BusEvents() {
    }

    public static byte[] encode(SecurityEvent event) {
        return EventJson.toJson(event.withId(0)).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The record key: the device, else the source (an address, a broker topic), else "none". */
    public static String key(SecurityEvent event) {
        if (event.device().isPresent()) {
            return "device:" + event.device().get().value();
        }
        return event.source().isEmpty() ? "none" : "source:" + event.source();
    }

    public static SecurityEvent decode(byte[] record) {
        if (record == null || record.length == 0) {
            throw new IllegalArgumentException("an empty event record");
        }
        if (record.length > MAX_BYTES) {
            throw new IllegalArgumentException("an event record of " + record.length + " bytes (at most " + MAX_BYTES
                    + ")");
        }
        try {
            return EventJson.fromJson(record);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an event record: " + e.getMessage(), e);
        } catch (RuntimeException e) { // a missing or malformed field: time, type, severity, device id
            throw new IllegalArgumentException("not an event record: " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }
}
