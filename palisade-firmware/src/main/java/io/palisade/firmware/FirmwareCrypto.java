package io.palisade.firmware;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one Bouncy Castle provider instance of the firmware module (building one registers hundreds of
 * algorithms, so it is made once), passed explicitly instead of installed globally, and SHA-256.
 */
public final class FirmwareCrypto {

    public static final Provider BC = new BouncyCastleProvider();

    private FirmwareCrypto() {
    }

    /** SHA-256 of the first {@code length} bytes, with the JDK's digest (hardware-accelerated where available). */
    public static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(bytes, 0, length);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public static byte[] sha256(byte[] bytes) {
        return sha256(bytes, bytes.length);
    }
}
