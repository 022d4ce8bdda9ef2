package io.palisade.pki.est;

import java.security.PublicKey;
import java.util.Optional;

/**
 * A PKCS#10 request that parsed, carried a valid proof of possession and a P-256 key.
 *
 * @param commonName the subject CN, when the subject has exactly one
 */
public record CertificateRequest(Optional<String> commonName, String subject, PublicKey publicKey) {
}
