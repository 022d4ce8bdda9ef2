package io.palisade.pki.tpm;

import java.security.Provider;
import java.security.Security;

/**
 * Makes {@code Signature.getInstance("SHA256withECDSA")} sign with a {@link TpmPrivateKey}. Installed first, and
 * declared for that key class only, so the JCA's delayed provider selection picks it for TPM keys and the usual
 * providers for every other key.
 */
public final class TpmProvider extends Provider {

    private static final long serialVersionUID = 1L;
    public static final String NAME = "PalisadeTPM";

    private TpmProvider() {
        super(NAME, "1.0", "ECDSA P-256 signatures by keys in a TPM 2.0 (tpm2-tools)");
        put("Signature.SHA256withECDSA", TpmSignatureSpi.class.getName());
        put("Signature.SHA256withECDSA SupportedKeyClasses", TpmPrivateKey.class.getName());
    }

    /** Installs the provider once per JVM. */
    public static synchronized void install() {
        if (Security.getProvider(NAME) == null) {
            Security.insertProviderAt(new TpmProvider(), 1);
        }
    }
}
