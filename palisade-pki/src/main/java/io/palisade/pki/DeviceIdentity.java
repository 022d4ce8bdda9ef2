package io.palisade.pki;

import io.palisade.core.device.DeviceId;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Reads the device identity out of a certificate: the SAN URI {@code urn:palisade:device:ID} when
 * present, else the subject CN. When both are present they must agree, so a certificate cannot
 * name two identities.
 */
public final class DeviceIdentity {

    private static final int SAN_URI = 6;

    private DeviceIdentity() {
    }

    public static Optional<DeviceId> of(X509Certificate certificate) {
        Optional<String> cn = commonName(certificate.getSubjectX500Principal());
        Optional<String> uri = sanUri(certificate);
        if (uri.isPresent()) {
            String id = uri.get().substring(DeviceId.URN_PREFIX.length());
            if (!DeviceId.isValid(id) || (cn.isPresent() && !cn.get().equals(id))) {
                return Optional.empty();
            }
            return Optional.of(DeviceId.of(id));
        }
        return cn.filter(DeviceId::isValid).map(DeviceId::of);
    }

    /** The single CN of a name; empty when there is none or more than one. */
    public static Optional<String> commonName(X500Principal principal) {
        return commonName(X500Name.getInstance(principal.getEncoded()));
    }

    public static Optional<String> commonName(X500Name name) {
        RDN[] rdns = name.getRDNs(BCStyle.CN);
        if (rdns.length != 1 || rdns[0].isMultiValued()) {
            return Optional.empty();
        }
        return Optional.of(IETFUtils.valueToString(rdns[0].getFirst().getValue()));
    }

    private static Optional<String> sanUri(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return Optional.empty();
            }
            List<String> uris = names.stream()
                    .filter(n -> n.size() == 2 && Integer.valueOf(SAN_URI).equals(n.get(0)))
                    .map(n -> String.valueOf(n.get(1)))
                    .filter(u -> u.startsWith(DeviceId.URN_PREFIX))
                    .toList();
            return uris.size() == 1 ? Optional.of(uris.get(0)) : Optional.empty();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
    }
}
