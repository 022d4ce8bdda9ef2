package io.palisade.pki;

import io.palisade.core.time.ManualClock;
import io.palisade.pki.ca.CertificateAuthority;
import io.palisade.pki.ca.DeviceCertificateProfile;
import java.time.Instant;

/** A throw-away CA on a manual clock, for tests. */
public final class TestCa {

    public final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T12:00:00Z"));
    public final CertificateAuthority ca;

    public TestCa(DeviceCertificateProfile profile) {
        CertificateAuthority.Created created = CertificateAuthority.create("test", KeyPairs.newP256(),
                KeyPairs.newP256(), clock);
        ca = created.authority(profile, clock);
    }

    public TestCa() {
        this(DeviceCertificateProfile.defaults());
    }
}
