package io.palisade.agent;

import io.palisade.core.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The device's data at rest, encrypted under one data-encryption key (AES-256-GCM, one file per
 * record), so that it can be crypto-erased (R9): destroying the 32-byte key makes every record
 * unreadable at once, whatever copies of the ciphertext flash wear levelling left behind; the records
 * are then overwritten and deleted as well.
 */
public final class DeviceDataStore {

    private static final String KEY_FILE = "dek.bin";
    private static final String SUFFIX = ".rec";
    private static final int NONCE_BYTES = 12;

    private final Path dir;
    private final SecureRandom random = new SecureRandom();

    public DeviceDataStore(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    public void put(String name, byte[] value) throws IOException {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, nonce, value, name);
        AtomicFiles.write(record(name), ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array(),
                true);
    }

    public Optional<byte[]> get(String name) throws IOException {
        Path file = record(name);
        if (!Files.exists(file) || !Files.exists(dir.resolve(KEY_FILE))) {
            return Optional.empty();
        }
        byte[] stored = Files.readAllBytes(file);
        return Optional.of(crypt(Cipher.DECRYPT_MODE, Arrays.copyOf(stored, NONCE_BYTES),
                Arrays.copyOfRange(stored, NONCE_BYTES, stored.length), name));
    }

    /**
     * Crypto-erase: overwrite the key with zeros and delete it, then overwrite every record with random
     * bytes and delete it. Returns the number of records erased.
     */
    public int cryptoErase() throws IOException {
        Path key = dir.resolve(KEY_FILE);
        if (Files.exists(key)) {
            overwrite(key, new byte[(int) Files.size(key)]);
            Files.delete(key);
        }
        int erased = 0;
        try (DirectoryStream<Path> records = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path record : records) {
                byte[] noise = new byte[(int) Files.size(record)];
                random.nextBytes(noise);
                overwrite(record, noise);
                Files.delete(record);
                erased++;
            }
        }
        return erased;
    }

    private static void overwrite(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), 0);
            channel.force(true);
        }
    }

    private Path record(String name) {
        if (!name.matches("[A-Za-z0-9._-]{1,64}") || name.startsWith(".")) {
            throw new IllegalArgumentException("record name '" + name + "' must be 1-64 of [A-Za-z0-9._-]");
        }
        return dir.resolve(name + SUFFIX);
    }

    private byte[] crypt(int mode, byte[] nonce, byte[] input, String name) throws IOException {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key(), "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IOException("record " + name + " cannot be " + (mode == Cipher.ENCRYPT_MODE ? "sealed" : "opened")
                    + ": " + e.getMessage(), e);
        }
    }

    private byte[] key() throws IOException {
        Path file = dir.resolve(KEY_FILE);
        if (!Files.exists(file)) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            AtomicFiles.write(file, key, true);
        }
        return Files.readAllBytes(file);
    }
}
