package io.palisade.pki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Exact bytes under an ECDSA P-256 (SHA-256) signature, as JSON:
 * {@code {"<field>": BASE64(bytes), "signature": BASE64(DER)}}. Signing the bytes themselves rather than a
 * re-serialized JSON value means no canonical form is needed. Used for device commands and file
 * integrity baselines.
 */
public final class SignedEnvelope {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why an envelope was refused: malformed, or its signature does not verify. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private SignedEnvelope() {
    }

    public static byte[] seal(String field, byte[] bytes, PrivateKey key) {
        try {
            Signature signer = EcdsaSignatures.signer(key);
            signer.update(bytes);
            return JSON.createObjectNode().put(field, Base64.getEncoder().encodeToString(bytes))
                    .put("signature", Base64.getEncoder().encodeToString(signer.sign())).toString()
                    .getBytes(StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with this key: " + e.getMessage(), e);
        }
    }

    /** The signed bytes, once the signature verifies with {@code key}. */
    public static byte[] open(String field, byte[] envelope, PublicKey key) throws Refused {
        byte[] bytes;
        byte[] signature;
        try {
            JsonNode outer = JSON.readTree(envelope);
            bytes = Base64.getDecoder().decode(outer.path(field).asText(""));
            signature = Base64.getDecoder().decode(outer.path("signature").asText(""));
        } catch (IOException | IllegalArgumentException e) {
            throw new Refused("malformed envelope");
        }
        try {
            Signature verifier = EcdsaSignatures.verifier(key);
            verifier.update(bytes);
            if (signature.length == 0 || !verifier.verify(signature)) {
                throw new Refused("the signature does not verify with the pinned key");
            }
        } catch (GeneralSecurityException e) {
            throw new Refused("the signature does not verify: " + e.getMessage());
        }
        return bytes;
    }
}
