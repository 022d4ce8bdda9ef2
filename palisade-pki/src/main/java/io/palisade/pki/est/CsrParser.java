package io.palisade.pki.est;

import io.palisade.pki.DeviceIdentity;
import io.palisade.pki.KeyPairs;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Parses an EST enrollment body into a {@link CertificateRequest}, or says in one sentence why not.
 *
 * <p>Accepts what RFC 7030 specifies (base64 of the DER request, any line breaks) and, because
 * operators enroll by hand with openssl, also PEM and raw DER. Everything else is refused before
 * any expensive work: the size first, then the encoding, then the ASN.1, then the signature.
 */
public final class CsrParser {

    /** A P-256 CSR is about 400 bytes of DER; 8 KiB leaves room for attributes without inviting abuse. */
    public static final int MAX_BODY_BYTES = 8 * 1024;

    private CsrParser() {
    }

    public static CertificateRequest parse(byte[] body) throws CsrRejectedException {
        if (body.length == 0) {
            throw new CsrRejectedException("the request body is empty; send a base64-encoded PKCS#10 request");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new CsrRejectedException("the request body has " + body.length + " bytes; the limit is "
                    + MAX_BODY_BYTES);
        }
        PKCS10CertificationRequest request = decode(toDer(body));
        PublicKey publicKey;
        try {
            publicKey = new JcaPKCS10CertificationRequest(request).getPublicKey();
        } catch (Exception e) {
            throw new CsrRejectedException("the request's public key cannot be read", e);
        }
        if (!KeyPairs.isP256(publicKey)) {
            throw new CsrRejectedException("the request's key is " + publicKey.getAlgorithm()
                    + " but Palisade issues device certificates for ECDSA P-256 keys only");
        }
        verifyProofOfPossession(request, publicKey);
        return new CertificateRequest(DeviceIdentity.commonName(request.getSubject()),
                request.getSubject().toString(), publicKey);
    }

    private static byte[] toDer(byte[] body) throws CsrRejectedException {
        if ((body[0] & 0xff) == 0x30) {
            return body;
        }
        String text = new String(body, StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN")) {
            int start = text.indexOf('\n', text.indexOf("-----BEGIN"));
            int end = text.indexOf("-----END");
            if (start < 0 || end < start) {
                throw new CsrRejectedException("the request is PEM without a complete BEGIN/END block");
            }
            text = text.substring(start, end);
        }
        try {
            // Strict decoding after removing line breaks: the MIME decoder would skip any junk silently.
            return Base64.getDecoder().decode(text.replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw new CsrRejectedException("the request body is not valid base64", e);
        }
    }

    private static PKCS10CertificationRequest decode(byte[] der) throws CsrRejectedException {
        if (der.length == 0) {
            throw new CsrRejectedException("the request body decodes to nothing");
        }
        try {
            PKCS10CertificationRequest request = new PKCS10CertificationRequest(der);
            if (request.getSubject() == null || request.getSubjectPublicKeyInfo() == null) {
                throw new CsrRejectedException("the request lacks a subject or public key");
            }
            return request;
        } catch (CsrRejectedException e) {
            throw e;
        } catch (Exception e) {
            // Bouncy Castle reports malformed ASN.1 with several unchecked exception types.
            throw new CsrRejectedException("the request is not a well-formed PKCS#10 certification request", e);
        }
    }

    private static void verifyProofOfPossession(PKCS10CertificationRequest request, PublicKey key)
            throws CsrRejectedException {
        boolean valid;
        try {
            ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder()
                    .build(key);
            valid = request.isSignatureValid(verifier);
        } catch (Exception e) {
            throw new CsrRejectedException("the request's signature cannot be checked", e);
        }
        if (!valid) {
            throw new CsrRejectedException("the request's signature does not verify with its own key");
        }
    }
}
