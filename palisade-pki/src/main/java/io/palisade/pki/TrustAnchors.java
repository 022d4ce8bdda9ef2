package io.palisade.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the certificates a short-lived command trusts (the instance's CA) with the JDK's own parser. This
 * class must not mention Bouncy Castle, not even in a {@code catch}: verifying a class that names one of its
 * exceptions opens Bouncy Castle's signed jar, and checking that jar's signature cost the CLI 90 ms.
 */
public final class TrustAnchors {

    private TrustAnchors() {
    }

    /**
     * Reads PEM certificates with the JDK's own parser, without Bouncy Castle: for short-lived commands
     * (the CLI reads the CA it trusts), where registering Bouncy Castle's provider alone costs hundreds
     * of classes. Anything but certificates in the file is refused.
     */
    public static List<X509Certificate> read(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        java.util.regex.Matcher begin = java.util.regex.Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----").matcher(pem);
        int blocks = 0;
        while (begin.find()) {
            if (!begin.group(1).equals("CERTIFICATE")) {
                throw new IOException(file + " holds a " + begin.group(1) + " where a certificate was expected");
            }
            blocks++;
        }
        if (blocks == 0) {
            throw new IOException(file + " holds no PEM certificate");
        }
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            for (java.security.cert.Certificate certificate : java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                certificates.add((X509Certificate) certificate);
            }
            return certificates;
        } catch (CertificateException e) {
            throw new IOException(file + ": unreadable certificate: " + e.getMessage(), e);
        }
    }

}
