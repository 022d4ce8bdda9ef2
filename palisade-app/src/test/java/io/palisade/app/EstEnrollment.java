package io.palisade.app;

import io.palisade.core.device.DeviceId;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.TlsContexts;
import io.palisade.pki.est.DeviceCredentials;
import io.palisade.pki.est.EstClient;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Optional;

/** Registers a device on a running Palisade and enrolls it over EST, as a device would. */
final class EstEnrollment {

    private EstEnrollment() {
    }

    /** Writes key.pem, cert.pem and ca.pem of device {@code id} (profile sensor, segment plant-a) to {@code dir/id}. */
    static Path enroll(RunningPalisade palisade, Path dir, String id) throws Exception {
        var ca = palisade.controlPlane().ca().chain();
        var registration = palisade.controlPlane().devices().add(id, "sensor", "plant-a", Duration.ofHours(1));
        KeyPair keys = KeyPairs.newP256();
        EstClient est = new EstClient(URI.create("https://127.0.0.1:" + palisade.controlPlane().httpsPort()),
                TlsContexts.client(ca, Optional.empty()));
        Path out = dir.resolve(id);
        try (var token = registration.token()) {
            new DeviceCredentials(keys.getPrivate(), est.enroll(DeviceId.of(id), token, keys), ca).write(out);
        }
        return out;
    }
}
