package io.palisade.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device store's erasure, proven on the raw files: what a thief who images the medium finds, including
 * copies of old files that flash wear levelling would keep (the test keeps them by copying before a delete).
 */
class DeviceDataStoreTest {

    private static final byte[] SECRET = "wifi-psk=correct horse battery staple".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void records_round_trip_and_no_plaintext_reaches_the_medium() throws IOException {
        DeviceDataStore store = new DeviceDataStore(dir);
        store.put("wifi", SECRET);
        store.put("readings", "t=21.5".getBytes(StandardCharsets.UTF_8));
        assertThat(store.get("wifi")).hasValue(SECRET);
        assertThat(new DeviceDataStore(dir).get("readings")).hasValueSatisfying(v ->
                assertThat(new String(v, StandardCharsets.UTF_8)).isEqualTo("t=21.5"));
        assertThat(rawBytesUnder(dir)).noneMatch(bytes -> contains(bytes, SECRET));
        assertThat(Files.getPosixFilePermissions(dir.resolve("kek.bin")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void a_deleted_record_stays_unreadable_even_from_copies_of_its_old_files() throws Exception {
        DeviceDataStore store = new DeviceDataStore(dir);
        store.put("wifi", SECRET);
        store.put("keep", "still here".getBytes(StandardCharsets.UTF_8));
        Path remnants = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-remnants"));
        for (String name : List.of("wifi.rec", "keys.bin", "kek.bin")) { // what wear levelling may leave
            Files.copy(dir.resolve(name), remnants.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        // The remnants open while the old KEK exists: the test's decryptor is honest.
        assertThat(openWithKek(remnants.resolve("kek.bin"), remnants)).isEqualTo(SECRET);

        assertThat(store.delete("wifi")).isTrue();

        assertThat(store.get("wifi")).isEmpty();
        assertThat(store.get("keep")).hasValue("still here".getBytes(StandardCharsets.UTF_8));
        assertThat(dir.resolve("wifi.rec")).doesNotExist();
        assertThat(dir.resolve("kek.next")).doesNotExist();
        // Every key now on the device fails on the old table and record: only the destroyed KEK opened them.
        assertThatThrownBy(() -> openWithKek(dir.resolve("kek.bin"), remnants))
                .isInstanceOf(GeneralSecurityException.class);
        assertThat(store.delete("wifi")).as("deleting twice").isFalse();
    }

    @Test
    void a_wipe_leaves_no_key_table_or_record_and_the_store_starts_empty() throws IOException {
        DeviceDataStore store = new DeviceDataStore(dir);
        store.put("wifi", SECRET);
        store.put("readings", new byte[100]);
        byte[] kek = Files.readAllBytes(dir.resolve("kek.bin"));
        assertThat(store.cryptoErase()).isEqualTo(2);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
        assertThat(rawBytesUnder(dir)).noneMatch(bytes -> contains(bytes, kek));
        assertThat(store.get("wifi")).isEmpty();
        store.put("fresh", SECRET); // a re-enrolled device starts a new store
        assertThat(store.get("fresh")).hasValue(SECRET);
    }

    @Test
    void a_damaged_key_table_is_an_error_naming_the_table() throws IOException {
        DeviceDataStore store = new DeviceDataStore(dir);
        store.put("wifi", SECRET);
        Files.write(dir.resolve("keys.bin"), new byte[5]);
        assertThatThrownBy(() -> store.get("wifi")).isInstanceOf(IOException.class).hasMessageContaining("key table");
        byte[] flipped = Files.readAllBytes(dir.resolve("kek.bin"));
        flipped[0] ^= 1;
        store.cryptoErase();
        store.put("wifi", SECRET);
        Files.write(dir.resolve("kek.bin"), flipped);
        assertThatThrownBy(() -> store.get("wifi")).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot be opened");
    }

    /** Opens {@code wifi.rec} from {@code files} with the KEK in {@code kekFile}, as an attacker with the medium would. */
    private static byte[] openWithKek(Path kekFile, Path files) throws IOException, GeneralSecurityException {
        byte[] table = gcm(Files.readAllBytes(kekFile), Files.readAllBytes(files.resolve("keys.bin")),
                "palisade-agent-record-keys".getBytes(StandardCharsets.US_ASCII));
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(table);
        int count = in.getInt();
        for (int i = 0; i < count; i++) {
            byte[] name = new byte[in.getShort()];
            in.get(name);
            byte[] key = new byte[32];
            in.get(key);
            if (new String(name, StandardCharsets.UTF_8).equals("wifi")) {
                return gcm(key, Files.readAllBytes(files.resolve("wifi.rec")), name);
            }
        }
        throw new IllegalStateException("no key for wifi in the table");
    }

    private static byte[] gcm(byte[] key, byte[] stored, byte[] aad) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                new GCMParameterSpec(128, Arrays.copyOf(stored, 12)));
        cipher.updateAAD(aad);
        return cipher.doFinal(stored, 12, stored.length - 12);
    }

    private static List<byte[]> rawBytesUnder(Path root) throws IOException {
        List<byte[]> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.add(Files.readAllBytes(file));
            }
        }
        return all;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
