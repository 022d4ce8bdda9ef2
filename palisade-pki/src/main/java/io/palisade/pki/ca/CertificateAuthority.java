package io.palisade.pki.ca;

import io.palisade.core.device.DeviceId;
import io.palisade.core.device.IssuedCertificate;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A root CA and the issuing CA it certified. The issuing CA signs device certificates, server
 * certificates and the CRL; the root only anchors trust.
 *
 * <p>Thread-safe: it holds no mutable state.
 */
public final class CertificateAuthority {

    public static final Duration ROOT_LIFETIME = Duration.ofDays(3650);
    public static final Duration ISSUING_LIFETIME = Duration.ofDays(1825);
    /** How long a CRL is valid; relying parties fetch a new one at least this often. */
    public static final Duration CRL_VALIDITY = Duration.ofHours(1);

    private final X509Certificate root;
    private final X509Certificate issuing;
    private final PrivateKey issuingKey;
    private final DeviceCertificateProfile profile;
    private final Clock clock;

    public CertificateAuthority(X509Certificate root, X509Certificate issuing, PrivateKey issuingKey,
                                DeviceCertificateProfile profile, Clock clock) {
        this.root = root;
        this.issuing = issuing;
        this.issuingKey = issuingKey;
        this.profile = profile;
        this.clock = clock;
    }

    /** The two key pairs and certificates of a new CA, named after {@code instanceName}. */
    public record Created(KeyPair rootKeys, X509Certificate root, KeyPair issuingKeys, X509Certificate issuing) {

        /** The authority this new CA is, issuing with {@code profile}. */
        public CertificateAuthority authority(DeviceCertificateProfile profile, Clock clock) {
            return new CertificateAuthority(root, issuing, issuingKeys.getPrivate(), profile, clock);
        }
    }

    public static Created create(String instanceName, KeyPair rootKeys, KeyPair issuingKeys, Clock clock) {
        Instant now = clock.instant();
        X500Name rootName = new X500Name("CN=Palisade Root CA " + instanceName + ",O=Palisade");
        X509v3CertificateBuilder rootBuilder = CertificateTemplates.builder(rootName, rootKeys.getPublic(), rootName,
                rootKeys.getPublic(), now.minus(DeviceCertificateProfile.BACKDATE), now.plus(ROOT_LIFETIME));
        CertificateTemplates.addCaExtensions(rootBuilder, 1);
        X509Certificate root = CertificateTemplates.sign(rootBuilder, rootKeys.getPrivate());

        X500Name issuingName = new X500Name("CN=Palisade Issuing CA " + instanceName + ",O=Palisade");
        X509v3CertificateBuilder issuingBuilder = CertificateTemplates.builder(rootName, rootKeys.getPublic(),
                issuingName, issuingKeys.getPublic(), now.minus(DeviceCertificateProfile.BACKDATE),
                now.plus(ISSUING_LIFETIME));
        CertificateTemplates.addCaExtensions(issuingBuilder, 0);
        X509Certificate issuing = CertificateTemplates.sign(issuingBuilder, rootKeys.getPrivate());
        return new Created(rootKeys, root, issuingKeys, issuing);
    }

    public X509Certificate root() {
        return root;
    }

    public X509Certificate issuing() {
        return issuing;
    }

    /** Issuing CA first, then root: the order TLS peers expect after the end-entity certificate. */
    public List<X509Certificate> chain() {
        return List.of(issuing, root);
    }

    public DeviceCertificateProfile profile() {
        return profile;
    }

    /** Issues a device certificate: CN and SAN URI carry the id, EKU clientAuth, the profile's lifetime. */
    public X509Certificate issueDevice(DeviceId id, PublicKey devicePublicKey) {
        return issueDevice(id, devicePublicKey, java.util.Optional.empty());
    }

    /**
     * As {@link #issueDevice(DeviceId, PublicKey)}, with the device's role, when it has one, in the Modbus/TCP
     * Security role extension ({@value io.palisade.core.device.Device#ROLE_OID}, a UTF8String, not critical).
     */
    public X509Certificate issueDevice(DeviceId id, PublicKey devicePublicKey, java.util.Optional<String> role) {
        Instant now = clock.instant();
        X500Name subject = new X500Name("CN=" + id.value());
        X509v3CertificateBuilder builder = CertificateTemplates.builder(issuerName(), issuing.getPublicKey(), subject,
                devicePublicKey, now.minus(DeviceCertificateProfile.BACKDATE), now.plus(profile.lifetime()));
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, id.urn())));
            if (role.isPresent()) {
                builder.addExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier(
                        io.palisade.core.device.Device.ROLE_OID), false, new org.bouncycastle.asn1.DERUTF8String(role.get()));
            }
            addCrlDistributionPoint(builder);
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
        return CertificateTemplates.sign(builder, issuingKey);
    }

    /** An operator's tunnel certificate lasts at most this long: it is asked for again, not revoked. */
    public static final Duration OPERATOR_LIFETIME = Duration.ofHours(1);

    /**
     * Issues an operator a short-lived client certificate for the isolation overlay's tunnels: subject
     * {@code CN=operator:NAME}, SAN URI {@code urn:palisade:operator:NAME}, client authentication only. The colon keeps
     * it from ever reading as a device certificate; it is valid for {@link #OPERATOR_LIFETIME}, so that a removed
     * operator's certificate dies by itself (the tunnel listener also checks the operator still exists).
     */
    public X509Certificate issueOperator(String name, PublicKey operatorPublicKey) {
        Instant now = clock.instant();
        X509v3CertificateBuilder builder = CertificateTemplates.builder(issuerName(), issuing.getPublicKey(),
                new X500Name("CN=" + io.palisade.pki.OperatorIdentity.CN_PREFIX + name), operatorPublicKey,
                now.minus(DeviceCertificateProfile.BACKDATE), now.plus(OPERATOR_LIFETIME));
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(
                    GeneralName.uniformResourceIdentifier, io.palisade.pki.OperatorIdentity.URN_PREFIX + name)));
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
        return CertificateTemplates.sign(builder, issuingKey);
    }

    /**
     * Issues the TLS server certificate for the HTTPS and MQTT ports, valid for each host name or IP
     * address given, so that clients verify the host name instead of switching verification off.
     */
    public X509Certificate issueServer(PublicKey serverPublicKey, List<String> hostNames, Duration lifetime) {
        if (hostNames.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one host name");
        }
        Instant now = clock.instant();
        X500Name subject = new X500Name("CN=" + hostNames.get(0) + ",O=Palisade");
        X509v3CertificateBuilder builder = CertificateTemplates.builder(issuerName(), issuing.getPublicKey(), subject,
                serverPublicKey, now.minus(DeviceCertificateProfile.BACKDATE), now.plus(lifetime));
        List<GeneralName> names = new ArrayList<>();
        for (String host : hostNames) {
            names.add(io.palisade.core.net.IpLiteral.parse(host).isPresent() ? new GeneralName(GeneralName.iPAddress, host)
                    : new GeneralName(GeneralName.dNSName, host));
        }
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
        return CertificateTemplates.sign(builder, issuingKey);
    }

    /** True when the issuing CA's key signed {@code certificate}. */
    public boolean issued(X509Certificate certificate) {
        try {
            certificate.verify(issuing.getPublicKey());
            return certificate.getIssuerX500Principal().equals(issuing.getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** A CRL signed by the issuing CA listing {@code revoked}, numbered {@code crlNumber}. */
    public X509CRL crl(List<IssuedCertificate> revoked, long crlNumber) {
        Instant now = clock.instant();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(issuerName(), Date.from(now));
        builder.setNextUpdate(Date.from(now.plus(CRL_VALIDITY)));
        for (IssuedCertificate certificate : revoked) {
            builder.addCRLEntry(new BigInteger(certificate.serial(), 16),
                    Date.from(certificate.revokedAt().orElse(now)), certificate.reason().code());
        }
        try {
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(crlNumber)));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuing.getPublicKey()));
            var signer = new JcaContentSignerBuilder(CertificateTemplates.SIGNATURE_ALGORITHM)
                    .build(issuingKey);
            return new JcaX509CRLConverter().getCRL(builder.build(signer));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot sign CRL", e);
        }
    }

    /** Hexadecimal form of a serial as the registry stores it. */
    public static String serialHex(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16);
    }

    private X500Name issuerName() {
        return X500Name.getInstance(issuing.getSubjectX500Principal().getEncoded());
    }

    private void addCrlDistributionPoint(X509v3CertificateBuilder builder) throws CertIOException {
        Optional<java.net.URI> url = profile.crlUrl();
        if (url.isEmpty()) {
            return;
        }
        GeneralNames where = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier,
                new DERIA5String(url.get().toString())));
        DistributionPoint point = new DistributionPoint(new DistributionPointName(where), null, null);
        builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[]{point}));
    }


}
