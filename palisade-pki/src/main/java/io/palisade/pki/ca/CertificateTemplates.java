package io.palisade.pki.ca;

import io.palisade.pki.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** The parts every certificate Palisade issues shares: serials, key identifiers, signing. */
final class CertificateTemplates {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private CertificateTemplates() {
    }

    /** A positive 127-bit random serial (RFC 5280: unpredictable, at most 20 octets). */
    static BigInteger newSerial() {
        return new BigInteger(127, RANDOM).setBit(126);
    }

    /** A builder with serial, validity, subject key id and authority key id already set. */
    static X509v3CertificateBuilder builder(X500Name issuer, PublicKey issuerKey, X500Name subject,
                                            PublicKey subjectKey, Instant notBefore, Instant notAfter) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, newSerial(),
                    Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(issuerKey));
            return builder;
        } catch (java.security.NoSuchAlgorithmException | CertIOException e) {
            throw new IllegalStateException("cannot prepare certificate for " + subject, e);
        }
    }

    static void addCaExtensions(X509v3CertificateBuilder builder, int pathLength) {
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLength));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
    }

    static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM)
                    .build(issuerKey);
            return Pem.toX509(builder.build(signer));
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot sign certificate", e);
        }
    }
}
