package io.palisade.pki;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.device.DeviceId;
import io.palisade.core.device.IssuedCertificate;
import io.palisade.pki.ca.CertificateAuthority;
import io.palisade.pki.ca.DeviceCertificateProfile;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {

    private final TestCa test = new TestCa(new DeviceCertificateProfile(Duration.ofHours(24),
            Optional.of(URI.create("https://gw.example:8443/pki/crl"))));
    private final CertificateAuthority ca = test.ca;

    @Test
    void device_certificate_follows_the_profile() throws Exception {
        KeyPair device = KeyPairs.newP256();
        X509Certificate cert = ca.issueDevice(DeviceId.of("sensor-1"), device.getPublic());

        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=sensor-1");
        assertThat(cert.getSubjectAlternativeNames()).containsExactly(List.of(6, "urn:palisade:device:sensor-1"));
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(cert.getPublicKey()).isInstanceOf(ECPublicKey.class).isEqualTo(device.getPublic());
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(test.clock.instant().plus(Duration.ofHours(24)));
        assertThat(cert.getSigAlgName()).isEqualToIgnoringCase("SHA256withECDSA");
        assertThat(cert.getExtensionValue("2.5.29.31")).as("CRL distribution point").isNotNull();
        assertThat(DeviceIdentity.of(cert)).contains(DeviceId.of("sensor-1"));
        assertThat(ca.issued(cert)).isTrue();
        validatesToRoot(cert);
    }

    @Test
    void an_operator_tunnel_certificate_lasts_an_hour_and_never_reads_as_a_device() throws Exception {
        X509Certificate cert = ca.issueOperator("olga", KeyPairs.newP256().getPublic());
        assertThat(OperatorIdentity.of(cert)).contains("olga");
        assertThat(DeviceIdentity.of(cert)).as("operator:olga is no device id").isEmpty();
        assertThat(java.time.Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()))
                .isLessThanOrEqualTo(CertificateAuthority.OPERATOR_LIFETIME.plus(DeviceCertificateProfile.BACKDATE));
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        X509Certificate device = ca.issueDevice(DeviceId.of("olga"), KeyPairs.newP256().getPublic());
        assertThat(OperatorIdentity.of(device)).as("a device certificate is no operator's").isEmpty();
    }

    @Test
    void serials_are_unique_and_positive() {
        KeyPair device = KeyPairs.newP256();
        X509Certificate a = ca.issueDevice(DeviceId.of("a"), device.getPublic());
        X509Certificate b = ca.issueDevice(DeviceId.of("a"), device.getPublic());
        assertThat(a.getSerialNumber()).isPositive().isNotEqualTo(b.getSerialNumber());
        assertThat(a.getSerialNumber().bitLength()).isLessThanOrEqualTo(159);
    }

    @Test
    void server_certificate_names_dns_and_ip_entries() throws Exception {
        X509Certificate cert = ca.issueServer(KeyPairs.newP256().getPublic(),
                List.of("localhost", "127.0.0.1", "::1", "gw.example"), Duration.ofDays(30));
        assertThat(cert.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"), List.of(2, "gw.example"));
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    }

    @Test
    void a_certificate_from_another_ca_is_not_ours() {
        X509Certificate foreign = new TestCa().ca.issueDevice(DeviceId.of("sensor-1"), KeyPairs.newP256().getPublic());
        assertThat(ca.issued(foreign)).isFalse();
    }

    @Test
    void crl_lists_revoked_serials_and_is_signed_by_the_issuing_ca() throws Exception {
        X509Certificate revoked = ca.issueDevice(DeviceId.of("bad"), KeyPairs.newP256().getPublic());
        X509Certificate good = ca.issueDevice(DeviceId.of("good"), KeyPairs.newP256().getPublic());
        X509CRL crl = ca.crl(List.of(new IssuedCertificate(CertificateAuthority.serialHex(revoked), DeviceId.of("bad"),
                revoked.getNotBefore().toInstant(), revoked.getNotAfter().toInstant(),
                Optional.of(test.clock.instant()))), 7);
        crl.verify(ca.issuing().getPublicKey());
        assertThat(crl.isRevoked(revoked)).isTrue();
        assertThat(crl.isRevoked(good)).isFalse();
        assertThat(crl.getNextUpdate()).isAfter(crl.getThisUpdate());
    }

    @Test
    void renewal_is_due_at_two_thirds_of_the_lifetime() {
        X509Certificate cert = ca.issueDevice(DeviceId.of("s"), KeyPairs.newP256().getPublic());
        var notBefore = cert.getNotBefore().toInstant();
        var lifetime = Duration.between(notBefore, cert.getNotAfter().toInstant());
        assertThat(RenewalPolicy.renewAt(cert)).isEqualTo(notBefore.plus(lifetime.multipliedBy(2).dividedBy(3)));
        assertThat(RenewalPolicy.isDue(cert, RenewalPolicy.renewAt(cert).minusSeconds(1))).isFalse();
        assertThat(RenewalPolicy.isDue(cert, RenewalPolicy.renewAt(cert))).isTrue();
    }

    private void validatesToRoot(X509Certificate leaf) throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca.root(), null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(test.clock.instant()));
        CertPathValidator.getInstance("PKIX").validate(
                factory.generateCertPath(List.of(leaf, ca.issuing())), parameters);
    }
}
