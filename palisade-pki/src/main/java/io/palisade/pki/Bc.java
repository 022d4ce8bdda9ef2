package io.palisade.pki;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one Bouncy Castle provider instance Palisade uses, passed explicitly to each API instead of
 * being installed globally, so that Palisade never changes the JVM's provider order for its host.
 *
 * <p>Only where the JDK's providers lack an algorithm: building this provider costs half a second (it loads
 * ~900 classes from a signed jar), which was a sixth of {@code palisade up}'s start. Certificates, CRLs,
 * CSRs, ECDSA and key decoding use the JDK's providers; key encryption needs this one (Bouncy Castle's PKCS#8
 * encryptor asks for {@code AES/CBC/PKCS7Padding}, which the JDK calls PKCS5Padding). The JVM initialises this
 * class only when one of those paths first runs.
 */
public final class Bc {

    public static final Provider PROVIDER = new BouncyCastleProvider();

    private Bc() {
    }
}
