package io.palisade.pki.tpm;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;

/**
 * A P-256 private key that lives in a TPM at a persistent handle: it signs SHA-256 digests there and never leaves.
 * An {@link ECPrivateKey} so that TLS and certificate requests treat it as the EC key it is; its secret
 * ({@link #getS()}) and encoding are not available.
 */
public final class TpmPrivateKey implements ECPrivateKey {

    private static final long serialVersionUID = 1L;
    private static final ECParameterSpec P256 = p256();

    private final transient Tpm2Tools tpm;
    private final int handle;
    private final transient PublicKey publicKey;

    TpmPrivateKey(Tpm2Tools tpm, int handle, PublicKey publicKey) {
        this.tpm = tpm;
        this.handle = handle;
        this.publicKey = publicKey;
    }

    public int handle() {
        return handle;
    }

    public Tpm2Tools tpm() {
        return tpm;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** An ECDSA signature (DER) over a SHA-256 digest, made by the TPM. */
    public byte[] signDigest(byte[] digest) throws IOException {
        if (digest.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, not " + digest.length);
        }
        return tpm.exclusive((scratch, tools) -> {
            Files.write(scratch.resolve("digest.bin"), digest);
            tools.command(scratch, "tpm2_sign", "-c", TpmKeys.hex(handle), "-g", "sha256", "-s", "ecdsa", "-d",
                    "-f", "plain", "-o", "signature.der", "digest.bin");
            return Files.readAllBytes(scratch.resolve("signature.der"));
        });
    }

    @Override
    public BigInteger getS() {
        throw new UnsupportedOperationException("the key at TPM handle " + TpmKeys.hex(handle) + " never leaves the TPM");
    }

    @Override
    public ECParameterSpec getParams() {
        return P256;
    }

    @Override
    public String getAlgorithm() {
        return "EC";
    }

    @Override
    public String getFormat() {
        return null;
    }

    @Override
    public byte[] getEncoded() {
        return null;
    }

    @Override
    public String toString() {
        return "P-256 key in the TPM at " + TpmKeys.hex(handle) + " (" + tpm.tcti() + ")";
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime knows P-256", e);
        }
    }
}
