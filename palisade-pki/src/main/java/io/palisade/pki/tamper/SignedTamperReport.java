package io.palisade.pki.tamper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.tamper.TamperReport;
import io.palisade.pki.EcdsaSignatures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * {@code {"report": BASE64(report JSON), "signature": BASE64(ECDSA-SHA256 DER), "certificate": BASE64(DER)}}:
 * a {@link TamperReport} signed with the device's key, carrying the certificate that proves the key.
 * Why a signature when the gateway already authenticated the device: the report then proves itself
 * wherever it travels (the upstream broker, a SIEM), and nobody who can publish on the broker can forge
 * one. {@link #open} checks only that the certificate's key signed the bytes: whether the certificate is
 * the device's, valid and unrevoked is {@code TamperReportCheck}'s job.
 */
public final class SignedTamperReport {

    /** Generous: a report (2 KiB), a certificate (2 KiB), base64 and the signature. */
    public static final int MAX_BYTES = 8192;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The report and the certificate that signed it. */
    public record Opened(TamperReport report, X509Certificate certificate) {
    }

    /** Why an envelope was refused; the message names the reason. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }

    private SignedTamperReport() {
    }

    public static byte[] seal(TamperReport report, PrivateKey key, X509Certificate certificate) {
        byte[] bytes = report.toJson();
        try {
            Signature signer = EcdsaSignatures.signer(key);
            signer.update(bytes);
            Base64.Encoder base64 = Base64.getEncoder();
            return JSON.createObjectNode().put("report", base64.encodeToString(bytes))
                    .put("signature", base64.encodeToString(signer.sign()))
                    .put("certificate", base64.encodeToString(certificate.getEncoded())).toString()
                    .getBytes(StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a tamper report with this key: " + e.getMessage(), e);
        }
    }

    public static Opened open(byte[] envelope) throws Refused {
        if (envelope.length > MAX_BYTES) {
            throw new Refused("a tamper report envelope of " + envelope.length + " bytes (at most " + MAX_BYTES + ")");
        }
        byte[] bytes;
        byte[] signature;
        X509Certificate certificate;
        try {
            JsonNode outer = JSON.readTree(envelope);
            if (outer == null || !outer.isObject()) {
                throw new Refused("a tamper report envelope must be a JSON object");
            }
            Base64.Decoder base64 = Base64.getDecoder();
            bytes = base64.decode(outer.path("report").asText(""));
            signature = base64.decode(outer.path("signature").asText(""));
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(base64.decode(outer.path("certificate").asText(""))));
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw new Refused("malformed tamper report envelope");
        } catch (CertificateException e) {
            throw new Refused("the tamper report's certificate cannot be decoded");
        }
        try {
            Signature verifier = EcdsaSignatures.verifier(certificate.getPublicKey());
            verifier.update(bytes);
            if (signature.length == 0 || !verifier.verify(signature)) {
                throw new Refused("the tamper report's signature does not verify with its certificate");
            }
        } catch (GeneralSecurityException e) {
            throw new Refused("the tamper report's signature does not verify: " + e.getMessage());
        }
        try {
            return new Opened(TamperReport.parse(bytes), certificate);
        } catch (IllegalArgumentException e) {
            throw new Refused(e.getMessage());
        }
    }
}
