package io.palisade.firmware.tuf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A repository laid out on disk as {@code metadata/} and {@code targets/} (what python-tuf writes). */
public final class DirectoryRepository implements Repository {

    private final Path root;

    public DirectoryRepository(Path root) {
        this.root = root;
    }

    @Override
    public Optional<byte[]> metadata(String name, long maxBytes) throws IOException {
        Path file = safe("metadata", name);
        return Files.exists(file) ? Optional.of(read(file, maxBytes)) : Optional.empty();
    }

    @Override
    public byte[] target(String path, long maxBytes) throws IOException {
        Path file = safe("targets", path);
        if (!Files.exists(file)) {
            throw new IOException("the repository has no target " + path);
        }
        return read(file, maxBytes);
    }

    private Path safe(String area, String name) throws IOException {
        Path base = root.resolve(area).normalize();
        Path file = base.resolve(name).normalize();
        if (!file.startsWith(base)) {
            throw new IOException("refusing path " + name + " outside the repository's " + area);
        }
        return file;
    }

    private static byte[] read(Path file, long maxBytes) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new IOException(file.getFileName() + " is longer than the " + maxBytes + " bytes allowed");
            }
            return bytes;
        }
    }
}
