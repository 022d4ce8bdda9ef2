package io.palisade.core.event;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An append-only, fsync'd file of security events that the store could not take yet, read back in the
 * order they were written.
 *
 * <p>Each record is {@code length (4 bytes) | CRC32C (4 bytes) | event as JSON}. A crash can leave a torn
 * last record: reading stops at the first record whose length or checksum does not hold, and the next
 * append starts there, so a torn tail is overwritten rather than replayed. How far the store has taken
 * the spool is kept in a small side file ({@code NAME.pos}), so that a restart replays only what was not
 * stored; once everything is stored both files are emptied.
 *
 * <p>Not thread-safe: one writer ({@link SpoolingEventWriter}) owns it.
 */
public final class EventSpool implements AutoCloseable {

    private static final int HEADER = 8;
    /** One event's JSON is bounded by its message and details; anything larger is corruption, not an event. */
    static final int MAX_RECORD = 1 << 20;

    private final Path file;
    private final Path positionFile;
    private final FileChannel channel;
    private final long maxBytes;
    /** Where the store has read up to. */
    private long position;
    /** Where the next record goes: the end of the last intact record. */
    private long end;
    private long pending;

    private EventSpool(Path file, FileChannel channel, long maxBytes) {
        this.file = file;
        this.positionFile = file.resolveSibling(file.getFileName() + ".pos");
        this.channel = channel;
        this.maxBytes = maxBytes;
    }

    /** Opens (or creates, readable by its owner only) the spool at {@code file}, holding at most {@code maxBytes}. */
    public static EventSpool open(Path file, long maxBytes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (Files.notExists(file)) {
            Files.createFile(file);
            ownerOnly(file);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        EventSpool spool = new EventSpool(file, channel, maxBytes);
        spool.recover();
        return spool;
    }

    private static void ownerOnly(Path file) throws IOException {
        if (Files.getFileStore(file.toAbsolutePath().getParent())
                .supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
    }

    private void recover() throws IOException {
        position = readPosition();
        long offset = 0;
        long count = 0;
        while (true) {
            Record record = readRecord(offset);
            if (record == null) {
                break;
            }
            if (offset >= position) {
                count++;
            }
            offset = record.next;
        }
        end = offset;
        if (position > end) {
            position = end; // a position file ahead of the intact records: nothing after them is readable
        }
        pending = count;
    }

    private long readPosition() throws IOException {
        if (Files.notExists(positionFile)) {
            return 0;
        }
        String text = Files.readString(positionFile, StandardCharsets.US_ASCII).trim();
        try {
            return text.isEmpty() ? 0 : Math.max(0, Long.parseLong(text));
        } catch (NumberFormatException e) {
            return 0; // a torn position file: replay from the start (duplicates, never loss)
        }
    }

    public Path file() {
        return file;
    }

    /** Events written and not yet taken by the store. */
    public long pending() {
        return pending;
    }

    public boolean isEmpty() {
        return pending == 0;
    }

    /**
     * Appends {@code events} and forces them to disk. Returns how many were written: fewer than given only
     * when the spool is full (the caller counts the rest as lost and says so).
     */
    public int append(List<SecurityEvent> events) throws IOException {
        int written = 0;
        channel.position(end);
        for (SecurityEvent event : events) {
            byte[] json = EventJson.toJson(event).toString().getBytes(StandardCharsets.UTF_8);
            if (end + HEADER + json.length > maxBytes) {
                break;
            }
            ByteBuffer record = ByteBuffer.allocate(HEADER + json.length);
            CRC32C crc = new CRC32C();
            crc.update(json);
            record.putInt(json.length).putInt((int) crc.getValue()).put(json).flip();
            while (record.hasRemaining()) {
                channel.write(record);
            }
            end += HEADER + json.length;
            written++;
        }
        if (written > 0) {
            channel.force(false);
            pending += written;
        }
        return written;
    }

    /** Up to {@code max} of the oldest events not yet taken, in order, without taking them. */
    public Batch peek(int max) throws IOException {
        List<SecurityEvent> events = new ArrayList<>();
        long offset = position;
        while (events.size() < max && offset < end) {
            Record record = readRecord(offset);
            if (record == null) {
                // Damaged after it was written (the tail a crash tears is cut off at open): skip to the end.
                return new Batch(events, end, true);
            }
            events.add(record.event);
            offset = record.next;
        }
        return new Batch(events, offset, false);
    }

    /** Marks {@code batch} as stored; empties the spool once everything in it is. */
    public void taken(Batch batch) throws IOException {
        position = batch.next;
        pending = Math.max(0, pending - batch.events.size());
        if (position >= end) {
            channel.truncate(0);
            channel.force(true);
            position = 0;
            end = 0;
            pending = 0;
            Files.deleteIfExists(positionFile);
        } else {
            Path temporary = positionFile.resolveSibling(positionFile.getFileName() + ".tmp");
            Files.writeString(temporary, Long.toString(position), StandardCharsets.US_ASCII);
            try (FileChannel sync = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                sync.force(true);
            }
            Files.move(temporary, positionFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The record at {@code offset}, or null at the end or at the first record that is torn or corrupt. */
    private Record readRecord(long offset) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        if (!readFully(header, offset)) {
            return null;
        }
        header.flip();
        int length = header.getInt();
        int checksum = header.getInt();
        if (length <= 0 || length > MAX_RECORD) {
            return null;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        if (!readFully(body, offset + HEADER)) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(body.array());
        if ((int) crc.getValue() != checksum) {
            return null;
        }
        try {
            SecurityEvent event = EventJson.fromJson(body.array());
            return new Record(event, offset + HEADER + length);
        } catch (RuntimeException e) {
            return null; // intact bytes that are no event: written by something else; stop here
        }
    }

    private boolean readFully(ByteBuffer buffer, long offset) throws IOException {
        long at = offset;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                return false;
            }
            at += read;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Events read from the spool, where the read ended, and whether damaged records were skipped to get there. */
    public record Batch(List<SecurityEvent> events, long next, boolean damaged) {
    }

    private record Record(SecurityEvent event, long next) {
    }
}
