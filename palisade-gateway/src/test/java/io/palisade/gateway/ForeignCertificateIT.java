package io.palisade.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.device.DeviceId;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.Pem;
import io.palisade.pki.ca.CertificateAuthority;
import io.palisade.pki.ca.DeviceCertificateProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A device certificate from a CA that is not Palisade's ends the handshake with the alert unknown_ca (openssl s_client). */
class ForeignCertificateIT {

    @TempDir
    Path dir;

    @Test
    void a_certificate_from_a_foreign_ca_gets_unknown_ca() throws Exception {
        try (GatewayFixture fixture = new GatewayFixture(dir.resolve("gw"), GatewayLimits.defaults())) {
            Clock clock = Clock.systemUTC();
            CertificateAuthority foreign = CertificateAuthority.create("foreign", KeyPairs.newP256(), KeyPairs.newP256(),
                    clock).authority(DeviceCertificateProfile.defaults(), clock);
            KeyPair keys = KeyPairs.newP256();
            X509Certificate certificate = foreign.issueDevice(DeviceId.of("intruder-1"), keys.getPublic());
            Path cert = dir.resolve("foreign.crt");
            Path key = dir.resolve("foreign.key");
            Pem.writeCertificates(cert, List.of(certificate, foreign.issuing()));
            Pem.writePrivateKey(key, keys.getPrivate());
            Process client = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + fixture.port(),
                    "-cert", cert.toString(), "-key", key.toString(), "-no_ign_eof").redirectErrorStream(true).start();
            // The alert comes after the client's side of a TLS 1.3 handshake: send a byte so s_client reads it.
            client.getOutputStream().write("x\n".getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            assertThat(client.waitFor(15, TimeUnit.SECONDS)).isTrue();
            String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(output).as(output).containsIgnoringCase("alert unknown ca");
        }
    }
}
