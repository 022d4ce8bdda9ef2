package io.palisade.agent;

import io.palisade.core.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The device's data at rest (R9): every record has a key of its own (AES-256-GCM, one file per record),
 * and the record keys sit in one small table sealed under a key-encryption key ({@code kek.bin}).
 * <ul>
 *   <li><b>Deleting a record</b> crypto-erases it: its key leaves the table, the table is sealed under a
 *       <em>new</em> KEK and the old KEK is overwritten in place. Copies of the record or of the old table
 *       that flash wear levelling left behind are then unreadable: nothing on the device opens them.</li>
 *   <li><b>{@link #cryptoErase()}</b> (a wipe) destroys the KEK first, then overwrites and deletes the table
 *       and every record.</li>
 * </ul>
 * So only the 32 bytes of the KEK must really be gone from the medium; on a device with a TPM that is the
 * piece to keep in TPM NV memory. Key bytes are zeroed once used; the JCE's own copy inside
 * {@code SecretKeySpec} lives until garbage collection (Java 17 cannot destroy it).
 * <p>
 * A KEK rotation is crash-safe: the new KEK is written beside the old ({@code kek.next}) before the table
 * sealed under it replaces the old table; opening tries both.
 */
public final class DeviceDataStore {

    private static final String KEK = "kek.bin";
    private static final String NEXT_KEK = "kek.next";
    private static final String TABLE = "keys.bin";
    private static final String LEGACY_KEY = "dek.bin";
    private static final String SUFFIX = ".rec";
    private static final int NONCE_BYTES = 12;
    private static final int KEY_BYTES = 32;
    private static final byte[] TABLE_AAD = "palisade-agent-record-keys".getBytes(StandardCharsets.US_ASCII);

    private final Path dir;
    private final SecureRandom random = new SecureRandom();

    public DeviceDataStore(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    public synchronized void put(String name, byte[] value) throws IOException {
        Path file = record(name);
        TreeMap<String, byte[]> keys = loadKeys();
        try {
            boolean fresh = !keys.containsKey(name);
            if (fresh) {
                keys.put(name, randomBytes(KEY_BYTES));
            }
            byte[] nonce = randomBytes(NONCE_BYTES);
            byte[] sealed = crypt(Cipher.ENCRYPT_MODE, keys.get(name), nonce, value, name.getBytes(StandardCharsets.UTF_8));
            if (fresh) {
                byte[] kek = currentKek();
                try {
                    saveKeys(keys, kek);
                } finally {
                    Arrays.fill(kek, (byte) 0);
                }
            }
            AtomicFiles.write(file, ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array(), true);
        } finally {
            wipe(keys);
        }
    }

    public synchronized Optional<byte[]> get(String name) throws IOException {
        Path file = record(name);
        TreeMap<String, byte[]> keys = loadKeys();
        try {
            if (!Files.exists(file) || !keys.containsKey(name)) {
                return Optional.empty();
            }
            byte[] stored = Files.readAllBytes(file);
            if (stored.length < NONCE_BYTES) {
                throw new IOException("record " + name + " is truncated");
            }
            return Optional.of(crypt(Cipher.DECRYPT_MODE, keys.get(name), Arrays.copyOf(stored, NONCE_BYTES),
                    Arrays.copyOfRange(stored, NONCE_BYTES, stored.length), name.getBytes(StandardCharsets.UTF_8)));
        } finally {
            wipe(keys);
        }
    }

    /** Crypto-erases one record (see the class comment); answers whether there was one. */
    public synchronized boolean delete(String name) throws IOException {
        Path file = record(name);
        TreeMap<String, byte[]> keys = loadKeys();
        try {
            byte[] key = keys.remove(name);
            if (key == null) {
                return false;
            }
            Arrays.fill(key, (byte) 0);
            rotateKek(keys);
            if (Files.exists(file)) {
                overwrite(file, randomBytes((int) Files.size(file)));
                Files.delete(file);
            }
            return true;
        } finally {
            wipe(keys);
        }
    }

    /**
     * Crypto-erase of everything: overwrite the KEK with zeros and delete it, then overwrite the key table
     * and every record with random bytes and delete them. Returns the number of records erased.
     */
    public synchronized int cryptoErase() throws IOException {
        for (String name : new String[]{KEK, NEXT_KEK, LEGACY_KEY}) {
            Path key = dir.resolve(name);
            if (Files.exists(key)) {
                overwrite(key, new byte[(int) Files.size(key)]);
                Files.delete(key);
            }
        }
        Path table = dir.resolve(TABLE);
        if (Files.exists(table)) {
            overwrite(table, randomBytes((int) Files.size(table)));
            Files.delete(table);
        }
        int erased = 0;
        try (DirectoryStream<Path> records = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path record : records) {
                overwrite(record, randomBytes((int) Files.size(record)));
                Files.delete(record);
                erased++;
            }
        }
        return erased;
    }

    // ---- the key table ---------------------------------------------------------------------------

    private void rotateKek(TreeMap<String, byte[]> keys) throws IOException {
        byte[] next = randomBytes(KEY_BYTES);
        try {
            AtomicFiles.write(dir.resolve(NEXT_KEK), next, true);
            saveKeys(keys, next); // the commit point: from here on only the new KEK opens the table
            finishRotation(next);
        } finally {
            Arrays.fill(next, (byte) 0);
        }
    }

    /** The new KEK over the old one's bytes in place, then the spare copy gone. */
    private void finishRotation(byte[] next) throws IOException {
        Path kek = dir.resolve(KEK);
        if (Files.exists(kek) && Files.size(kek) == KEY_BYTES) {
            overwrite(kek, next);
        } else {
            AtomicFiles.write(kek, next, true);
        }
        Path spare = dir.resolve(NEXT_KEK);
        overwrite(spare, new byte[KEY_BYTES]);
        Files.delete(spare);
    }

    private byte[] currentKek() throws IOException {
        Path kek = dir.resolve(KEK);
        if (!Files.exists(kek)) {
            byte[] fresh = randomBytes(KEY_BYTES);
            AtomicFiles.write(kek, fresh, true);
            return fresh;
        }
        return Files.readAllBytes(kek);
    }

    private TreeMap<String, byte[]> loadKeys() throws IOException {
        Path table = dir.resolve(TABLE);
        if (!Files.exists(table)) {
            return new TreeMap<>();
        }
        byte[] stored = Files.readAllBytes(table);
        if (stored.length < NONCE_BYTES) {
            throw new IOException("the record key table " + table + " is truncated");
        }
        byte[] nonce = Arrays.copyOf(stored, NONCE_BYTES);
        byte[] sealed = Arrays.copyOfRange(stored, NONCE_BYTES, stored.length);
        byte[] kek = currentKek();
        byte[] plain;
        try {
            plain = crypt(Cipher.DECRYPT_MODE, kek, nonce, sealed, TABLE_AAD);
        } catch (IOException sealedUnderTheNextKek) {
            Path spare = dir.resolve(NEXT_KEK);
            if (!Files.exists(spare)) {
                throw new IOException("the record key table cannot be opened with this device's key (erased?)");
            }
            byte[] next = Files.readAllBytes(spare);
            try {
                plain = crypt(Cipher.DECRYPT_MODE, next, nonce, sealed, TABLE_AAD);
                finishRotation(next); // a rotation interrupted after its commit point
            } finally {
                Arrays.fill(next, (byte) 0);
            }
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
        try {
            return decodeTable(plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private void saveKeys(TreeMap<String, byte[]> keys, byte[] kek) throws IOException {
        byte[] plain = encodeTable(keys);
        try {
            byte[] nonce = randomBytes(NONCE_BYTES);
            byte[] sealed = crypt(Cipher.ENCRYPT_MODE, kek, nonce, plain, TABLE_AAD);
            AtomicFiles.write(dir.resolve(TABLE),
                    ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array(), true);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** {@code count u32, then per record: name length u16, name (UTF-8), key (32 bytes)}. */
    private static byte[] encodeTable(TreeMap<String, byte[]> keys) {
        int size = 4;
        for (String name : keys.keySet()) {
            size += 2 + name.getBytes(StandardCharsets.UTF_8).length + KEY_BYTES;
        }
        ByteBuffer out = ByteBuffer.allocate(size).putInt(keys.size());
        keys.forEach((name, key) -> {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            out.putShort((short) bytes.length).put(bytes).put(key);
        });
        return out.array();
    }

    private static TreeMap<String, byte[]> decodeTable(byte[] plain) throws IOException {
        TreeMap<String, byte[]> keys = new TreeMap<>();
        try {
            ByteBuffer in = ByteBuffer.wrap(plain);
            int count = in.getInt();
            for (int i = 0; i < count; i++) {
                byte[] name = new byte[Short.toUnsignedInt(in.getShort())];
                in.get(name);
                byte[] key = new byte[KEY_BYTES];
                in.get(key);
                keys.put(new String(name, StandardCharsets.UTF_8), key);
            }
            return keys;
        } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
            wipe(keys);
            throw new IOException("the record key table is damaged");
        }
    }

    // ---- bytes -----------------------------------------------------------------------------------

    private static void wipe(TreeMap<String, byte[]> keys) {
        keys.values().forEach(key -> Arrays.fill(key, (byte) 0));
        keys.clear();
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
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

    private static byte[] crypt(int mode, byte[] key, byte[] nonce, byte[] input, byte[] aad) throws IOException {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new IOException("sealed data does not open with its key (tampered, or the key was erased)");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot " + (mode == Cipher.ENCRYPT_MODE ? "seal" : "open") + " data: "
                    + e.getMessage(), e);
        }
    }
}
