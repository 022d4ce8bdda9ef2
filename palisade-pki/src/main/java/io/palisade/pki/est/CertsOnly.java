package io.palisade.pki.est;

import io.palisade.pki.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;

/**
 * The "certs-only" PKCS#7 of RFC 7030 section 4.1.3 / 4.2.3: a degenerate CMS SignedData with
 * certificates and no signers, base64-encoded with line breaks (what {@code openssl base64 -d} reads).
 */
public final class CertsOnly {

    public static final String CONTENT_TYPE = "application/pkcs7-mime; smime-type=certs-only";
    /** Responses larger than this are not EST responses; the client stops reading. */
    public static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private CertsOnly() {
    }

    public static String encode(List<X509Certificate> certificates) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addCertificates(new JcaCertStore(certificates));
            // DER, not the BER (indefinite lengths) Bouncy Castle writes by default: strict EST clients want DER.
            byte[] der = generator.generate(new CMSAbsentContent()).getEncoded("DER");
            return Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der) + "\n";
        } catch (CertificateEncodingException | CMSException | IOException e) {
            throw new IllegalStateException("cannot encode certs-only response", e);
        }
    }

    public static List<X509Certificate> decode(byte[] base64Body) throws IOException {
        if (base64Body.length > MAX_RESPONSE_BYTES) {
            throw new IOException("EST response of " + base64Body.length + " bytes exceeds the limit of "
                    + MAX_RESPONSE_BYTES);
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(new String(base64Body, StandardCharsets.US_ASCII).strip());
            CMSSignedData signedData = new CMSSignedData(der);
            List<X509Certificate> certificates = new ArrayList<>();
            for (X509CertificateHolder holder : signedData.getCertificates().getMatches(null)) {
                certificates.add(Pem.toX509(holder));
            }
            if (certificates.isEmpty()) {
                throw new IOException("EST response holds no certificate");
            }
            return certificates;
        } catch (CMSException | IllegalArgumentException e) {
            throw new IOException("EST response is not a base64 certs-only PKCS#7: " + e.getMessage(), e);
        }
    }
}
