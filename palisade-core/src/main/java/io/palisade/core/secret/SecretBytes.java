package io.palisade.core.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Bytes of a secret (a token, a passphrase, an encoded private key) that are zeroed on {@link #close()}
 * and never appear in {@code toString}, logs or exceptions (R9).
 *
 * <p>Use in try-with-resources. After close every accessor throws, so use-after-wipe is a loud bug,
 * not a silent all-zero key.
 */
public final class SecretBytes implements AutoCloseable {

    private final byte[] bytes;
    private volatile boolean closed;

    private SecretBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Takes ownership of {@code bytes}: the caller must not keep or reuse the array. */
    public static SecretBytes wrap(byte[] bytes) {
        return new SecretBytes(bytes);
    }

    /** Copies {@code bytes}; the caller remains responsible for wiping its own array. */
    public static SecretBytes copyOf(byte[] bytes) {
        return new SecretBytes(bytes.clone());
    }

    /** Encodes {@code chars} as UTF-8. The caller should wipe its char array. */
    public static SecretBytes fromChars(char[] chars) {
        java.nio.ByteBuffer encoded = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(chars));
        byte[] out = new byte[encoded.remaining()];
        encoded.get(out);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return new SecretBytes(out);
    }

    /** A copy of the secret; the caller must wipe it (see {@link #wipe(byte[])}). */
    public byte[] copy() {
        checkOpen();
        return bytes.clone();
    }

    /** The secret as characters (for APIs that take passwords); the caller must wipe the array. */
    public char[] toChars() {
        checkOpen();
        java.nio.CharBuffer decoded = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(bytes));
        char[] out = new char[decoded.remaining()];
        decoded.get(out);
        if (decoded.hasArray()) {
            Arrays.fill(decoded.array(), '\0');
        }
        return out;
    }

    public int length() {
        checkOpen();
        return bytes.length;
    }

    /** Constant-time comparison with another secret of any length. */
    public boolean contentEquals(byte[] other) {
        checkOpen();
        return MessageDigest.isEqual(bytes, other);
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        Arrays.fill(bytes, (byte) 0);
    }

    public static void wipe(byte[] array) {
        if (array != null) {
            Arrays.fill(array, (byte) 0);
        }
    }

    public static void wipe(char[] array) {
        if (array != null) {
            Arrays.fill(array, '\0');
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("secret was already wiped");
        }
    }

    @Override
    public String toString() {
        return closed ? "SecretBytes[wiped]" : "SecretBytes[" + bytes.length + " bytes, hidden]";
    }
}
