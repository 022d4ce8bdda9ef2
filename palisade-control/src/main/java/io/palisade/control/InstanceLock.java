package io.palisade.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One running instance per data directory: an exclusive lock on {@code DATA/palisade.lock}, which holds the
 * process id of its holder. A second instance on the same directory is told so in one sentence, instead of
 * failing later on whichever file it touches first (the embedded broker's store said "The file is locked").
 * The operating system releases the lock when the process ends, even after {@code kill -9}.
 *
 * <p>Nothing else in the process may open the lock file: closing any descriptor of a file drops the process's
 * POSIX locks on it. Within one process the lock is shared and counted: {@code palisade up} takes it before it starts the
 * embedded broker, and the control plane it then starts takes it again.
 */
public final class InstanceLock implements AutoCloseable {

    private static final java.util.Map<Path, Held> HELD = new java.util.HashMap<>();

    private final Path key;
    private boolean closed;

    private InstanceLock(Path key) {
        this.key = key;
    }

    /** The file lock and how many handles of this process share it. */
    private record Held(FileChannel channel, FileLock lock, int[] count) {
    }

    public static InstanceLock acquire(Path dataDir) throws IOException {
        Path key = dataDir.toAbsolutePath().normalize();
        synchronized (HELD) {
            Held held = HELD.get(key);
            if (held == null) {
                held = lockFile(dataDir);
                HELD.put(key, held);
            }
            held.count()[0]++;
            return new InstanceLock(key);
        }
    }

    private static Held lockFile(Path dataDir) throws IOException {
        java.nio.file.Files.createDirectories(dataDir);
        Path file = dataDir.resolve("palisade.lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new IOException("another Palisade is already running on the data directory " + dataDir
                    + (holder.isEmpty() ? "" : " (process " + holder + ")") + "; stop it first or give another --data");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(false);
        return new Held(channel, lock, new int[] {0});
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
    }

    @Override
    public void close() {
        synchronized (HELD) {
            if (closed) {
                return;
            }
            closed = true;
            Held held = HELD.get(key);
            if (held == null || --held.count()[0] > 0) {
                return;
            }
            HELD.remove(key);
            try {
                held.lock().release();
                held.channel().close();
            } catch (IOException e) {
                // the process is ending or the directory is gone; the lock goes with the descriptor
            }
        }
    }
}
