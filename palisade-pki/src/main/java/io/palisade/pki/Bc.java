package io.palisade.pki;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one Bouncy Castle provider instance Palisade uses, passed explicitly to each API instead of
 * being installed globally, so that Palisade never changes the JVM's provider order for its host.
 */
public final class Bc {

    public static final Provider PROVIDER = new BouncyCastleProvider();

    private Bc() {
    }
}
