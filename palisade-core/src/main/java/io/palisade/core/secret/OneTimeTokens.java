package io.palisade.core.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Generates bearer tokens and their salted hashes.
 *
 * <p>Tokens carry 192 bits (enrollment) or 256 bits (admin) from a {@link SecureRandom}, so a
 * salted SHA-256 is enough to store them: a slow password hash protects low-entropy human
 * passwords, which these are not. The salt stops one database leak from being matched against
 * tokens seen elsewhere. The prefix ({@code pet_}, {@code pat_}) lets secret scanners spot leaks.
 */
public final class OneTimeTokens {

    public static final String ENROLLMENT_PREFIX = "pet_";
    public static final String ADMIN_PREFIX = "pat_";
    public static final int SALT_BYTES = 16;

    private final SecureRandom random;

    public OneTimeTokens(SecureRandom random) {
        this.random = random;
    }

    public OneTimeTokens() {
        this(new SecureRandom());
    }

    /** A new token: prefix followed by {@code entropyBytes} random bytes in base64url. */
    public SecretBytes newToken(String prefix, int entropyBytes) {
        byte[] raw = new byte[entropyBytes];
        random.nextBytes(raw);
        String encoded = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        SecretBytes.wipe(raw);
        return SecretBytes.wrap(encoded.getBytes(StandardCharsets.US_ASCII));
    }

    public byte[] newSalt() {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return salt;
    }

    /** SHA-256(salt || token). */
    public static byte[] hash(byte[] salt, SecretBytes token) {
        byte[] tokenBytes = token.copy();
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            sha.update(tokenBytes);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        } finally {
            SecretBytes.wipe(tokenBytes);
        }
    }

    /** Constant-time check of a presented token against a stored salted hash. */
    public static boolean matches(byte[] salt, byte[] expectedHash, SecretBytes presented) {
        return MessageDigest.isEqual(hash(salt, presented), expectedHash);
    }
}
