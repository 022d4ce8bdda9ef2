package io.palisade.agent.fim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the attributes of regular files under a root. Symbolic links are not followed (a link
 * pointing elsewhere must not pull another tree into the baseline); the scan is bounded in file count
 * so that a directory flooded with files cannot make it run forever.
 */
public final class FileScanner {

    public static final int MAX_FILES = 200_000;

    private FileScanner() {
    }

    /** Every regular file under {@code root}, by relative path. */
    public static Map<String, FileAttributes> scan(Path root) throws IOException {
        Map<String, FileAttributes> files = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile()) {
                    if (files.size() >= MAX_FILES) {
                        throw new IOException("more than " + MAX_FILES + " files under " + root
                                + "; monitor a narrower tree");
                    }
                    read(root, file).ifPresent(a -> files.put(a.path(), a));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // vanished or unreadable: absent from this scan
            }
        });
        return files;
    }

    /** The attributes of one file, or empty when it is not (or no longer) a regular file. */
    public static Optional<FileAttributes> read(Path root, Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        PosixFileAttributes posix;
        try {
            posix = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
        String sha256;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            sha256 = HexFormat.of().formatHex(digest.digest());
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
        return Optional.of(new FileAttributes(root.relativize(file).toString().replace('\\', '/'), sha256, posix.size(),
                octal(posix.permissions()), posix.owner().getName(), posix.lastModifiedTime().toMillis()));
    }

    static String octal(Set<PosixFilePermission> permissions) {
        int bits = 0;
        for (PosixFilePermission permission : permissions) {
            bits |= 1 << (8 - permission.ordinal());
        }
        return String.format("0%03o", bits);
    }
}
