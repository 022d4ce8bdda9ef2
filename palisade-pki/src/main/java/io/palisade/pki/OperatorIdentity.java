package io.palisade.pki;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Reads the operator out of an operator's tunnel certificate (issued by {@code CertificateAuthority.issueOperator}):
 * exactly one SAN URI {@code urn:palisade:operator:NAME}, the subject {@code CN=operator:NAME} agreeing with it, and
 * client authentication among its uses. Anything else is not an operator certificate.
 */
public final class OperatorIdentity {

    public static final String URN_PREFIX = "urn:palisade:operator:";
    public static final String CN_PREFIX = "operator:";
    private static final int SAN_URI = 6;
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private OperatorIdentity() {
    }

    public static Optional<String> of(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            List<String> usages = certificate.getExtendedKeyUsage();
            if (names == null || usages == null || !usages.contains(CLIENT_AUTH)) {
                return Optional.empty();
            }
            List<String> operators = names.stream()
                    .filter(n -> n.size() == 2 && Integer.valueOf(SAN_URI).equals(n.get(0)))
                    .map(n -> String.valueOf(n.get(1)))
                    .filter(uri -> uri.startsWith(URN_PREFIX))
                    .toList();
            if (operators.size() != 1) {
                return Optional.empty();
            }
            String name = operators.get(0).substring(URN_PREFIX.length());
            Optional<String> cn = DeviceIdentity.commonName(certificate.getSubjectX500Principal());
            return cn.filter((CN_PREFIX + name)::equals).map(same -> name);
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
    }
}
