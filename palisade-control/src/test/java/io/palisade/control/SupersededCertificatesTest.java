package io.palisade.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.control.service.CrlService;
import io.palisade.control.service.Events;
import io.palisade.control.service.SupersededCertificates;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.time.ManualClock;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.ca.CertificateAuthority;
import io.palisade.pki.ca.DeviceCertificateProfile;
import io.palisade.pki.ca.DirectIssuance;
import io.palisade.store.Database;
import io.palisade.store.SqlDeviceRegistry;
import io.palisade.store.StoreUrl;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A re-enrolled device's old certificate is revoked once the grace has passed: event and CRL. */
class SupersededCertificatesTest {

    @TempDir
    Path dir;

    @Test
    void the_old_certificate_is_revoked_after_the_grace_and_lands_in_the_crl() throws Exception {
        ManualClock clock = new ManualClock(Instant.now());
        try (Database database = Database.open(StoreUrl.sqlite(dir.resolve("s.db")))) {
            SqlDeviceRegistry registry = new SqlDeviceRegistry(database);
            CertificateAuthority ca = CertificateAuthority.create("t", KeyPairs.newP256(), KeyPairs.newP256(), clock)
                    .authority(DeviceCertificateProfile.defaults(), clock);
            X509Certificate first = DirectIssuance.issue(registry, ca, DeviceId.of("renew-1"), "default", "default")
                    .certificate();
            clock.advance(Duration.ofHours(16));
            X509Certificate second = ca.issueDevice(DeviceId.of("renew-1"), KeyPairs.newP256().getPublic());
            registry.recordCertificate(new io.palisade.core.device.IssuedCertificate(
                    CertificateAuthority.serialHex(second), DeviceId.of("renew-1"), second.getNotBefore().toInstant(),
                    second.getNotAfter().toInstant(), java.util.Optional.empty()));
            List<SecurityEvent> events = new ArrayList<>();
            CrlService crl = new CrlService(ca, registry, clock);
            SupersededCertificates sweep = new SupersededCertificates(registry, crl, new Events(events::add, clock), clock,
                    Duration.ofHours(1));

            assertThat(revokedSerials(crl)).isEmpty();
            clock.advance(Duration.ofMinutes(30));
            assertThat(sweep.sweep()).as("within the grace").isEmpty();
            clock.advance(Duration.ofMinutes(31));
            assertThat(sweep.sweep()).extracting(c -> c.serial()).containsExactly(CertificateAuthority.serialHex(first));
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.type()).isEqualTo(EventType.CERT_REVOKED);
                assertThat(e.details()).containsEntry("reason", "superseded");
            });
            assertThat(revokedSerials(crl)).as("in the CRL at once").containsExactly(first.getSerialNumber());
        }
    }

    private static List<java.math.BigInteger> revokedSerials(CrlService crl) throws Exception {
        X509CRL parsed = (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(crl.currentDer()));
        return parsed.getRevokedCertificates() == null ? List.of()
                : parsed.getRevokedCertificates().stream().map(e -> e.getSerialNumber()).toList();
    }
}
