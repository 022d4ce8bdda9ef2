package io.palisade.pki.tpm;

import java.io.IOException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.SignatureSpi;

/** {@code SHA256withECDSA} for {@link TpmPrivateKey}s: hashes here, signs the digest in the TPM. Signs only. */
public final class TpmSignatureSpi extends SignatureSpi {

    private TpmPrivateKey key;
    private final MessageDigest digest;

    public TpmSignatureSpi() throws NoSuchAlgorithmException {
        digest = MessageDigest.getInstance("SHA-256");
    }

    @Override
    protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
        if (!(privateKey instanceof TpmPrivateKey tpmKey)) {
            throw new InvalidKeyException("only keys in a TPM");
        }
        key = tpmKey;
        digest.reset();
    }

    @Override
    protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
        throw new InvalidKeyException("the TPM provider only signs; verify with any other provider");
    }

    @Override
    protected void engineUpdate(byte b) {
        digest.update(b);
    }

    @Override
    protected void engineUpdate(byte[] bytes, int offset, int length) {
        digest.update(bytes, offset, length);
    }

    @Override
    protected byte[] engineSign() throws SignatureException {
        try {
            return key.signDigest(digest.digest());
        } catch (IOException e) {
            throw new SignatureException("the TPM did not sign: " + e.getMessage(), e);
        }
    }

    @Override
    protected boolean engineVerify(byte[] signature) throws SignatureException {
        throw new SignatureException("the TPM provider only signs");
    }

    @Override
    @Deprecated
    protected void engineSetParameter(String parameter, Object value) {
        throw new InvalidParameterException("no parameters");
    }

    @Override
    @Deprecated
    protected Object engineGetParameter(String parameter) {
        throw new InvalidParameterException("no parameters");
    }
}
