package io.palisade.pki.ca;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.device.DeviceState;
import io.palisade.core.device.EnrollmentToken;
import io.palisade.core.device.IssuedCertificate;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.est.DeviceCredentials;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

/**
 * Registers a device and issues its credentials in one step, without EST: for factory provisioning
 * where keys are made on a trusted line, for the simulator and for tests. The registry records the
 * certificate exactly as an EST enrollment would, so revocation and the gateway treat it the same.
 * No usable enrollment token exists for such a device (a random hash is stored and marked used).
 */
public final class DirectIssuance {

    private static final SecureRandom RANDOM = new SecureRandom();

    private DirectIssuance() {
    }

    public static DeviceCredentials issue(DeviceRegistry registry, CertificateAuthority ca, DeviceId id,
                                          String profile, String segment) {
        Instant now = Instant.now();
        byte[] salt = new byte[16];
        byte[] unguessable = new byte[32];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(unguessable);
        registry.add(new Device(id, profile, segment, DeviceState.REGISTERED, false, now, now),
                new EnrollmentToken(id, salt, unguessable, now.plusSeconds(1), Optional.empty()));
        KeyPair keys = KeyPairs.newP256();
        X509Certificate certificate = ca.issueDevice(id, keys.getPublic());
        registry.consumeTokenAndRecord(id, now, new IssuedCertificate(CertificateAuthority.serialHex(certificate), id,
                certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(), Optional.empty()));
        return new DeviceCredentials(keys.getPrivate(), certificate, ca.chain());
    }
}
