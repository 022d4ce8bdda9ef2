package io.palisade.core.audit;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.SecurityEvent;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The link of one stored event: {@code SHA-256(previous link || canonical(event))}, the first event's previous
 * link being {@link #GENESIS}. The canonical form covers everything stored of the event, id included (so rows
 * cannot be swapped), time at millisecond precision (what the store keeps), each field length-prefixed (so no
 * two different events encode alike) and details in key order.
 */
public final class EventChain {

    /** The previous link of the first chained event. */
    public static final byte[] GENESIS = new byte[32];

    private EventChain() {
    }

    public static byte[] link(byte[] previous, SecurityEvent event) {
        MessageDigest sha256 = sha256();
        sha256.update(previous);
        sha256.update(canonical(event));
        return sha256.digest();
    }

    static byte[] canonical(SecurityEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(ByteBuffer.allocate(16).putLong(event.id()).putLong(event.time().toEpochMilli()).array());
        field(out, event.type().wireName());
        field(out, event.severity().wireName());
        field(out, event.device().map(DeviceId::value).orElse(""));
        field(out, event.source());
        field(out, event.message());
        Map<String, String> details = new TreeMap<>(event.details());
        out.writeBytes(ByteBuffer.allocate(4).putInt(details.size()).array());
        details.forEach((key, value) -> {
            field(out, key);
            field(out, value);
        });
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }

    /** What a checkpoint's signature covers: the event id and its link. */
    public static byte[] checkpointMessage(long eventId, byte[] link) {
        return message("palisade-audit-checkpoint-v1", eventId, link);
    }

    /** What a gap record's signature covers: the first event after the gap and the link before it. */
    public static byte[] gapMessage(long nextId, byte[] previousLink) {
        return message("palisade-audit-gap-v1", nextId, previousLink);
    }

    private static byte[] message(String label, long id, byte[] link) {
        byte[] name = label.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(name.length + 1 + 8 + link.length).put(name).put((byte) 0).putLong(id).put(link)
                .array();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
