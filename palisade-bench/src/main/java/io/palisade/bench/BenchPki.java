package io.palisade.bench;

import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.Pem;
import io.palisade.pki.TlsContexts;
import io.palisade.pki.ca.CertificateAuthority;
import io.palisade.pki.ca.DirectIssuance;
import io.palisade.pki.ca.DeviceCertificateProfile;
import io.palisade.pki.est.DeviceCredentials;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/** A CA, a server certificate and enrolled devices, written as files both Palisade and Mosquitto read. */
final class BenchPki {

    final CertificateAuthority ca;
    final KeyPair serverKeys = KeyPairs.newP256();
    final X509Certificate server;
    final Path dir;

    BenchPki(Path dir) throws Exception {
        this.dir = dir;
        Clock clock = Clock.systemUTC();
        CertificateAuthority.Created created = CertificateAuthority.create("bench", KeyPairs.newP256(),
                KeyPairs.newP256(), clock);
        ca = created.authority(DeviceCertificateProfile.defaults(), clock);
        server = ca.issueServer(serverKeys.getPublic(), List.of("localhost", "127.0.0.1"), Duration.ofDays(1));
        Pem.writeCertificates(dir.resolve("ca.pem"), ca.chain());
        Pem.writeCertificates(dir.resolve("server.crt"), List.of(server, ca.issuing()));
        Pem.writePrivateKey(dir.resolve("server.key"), serverKeys.getPrivate());
        Pem.writeCertificates(dir.resolve("server-chain.pem"), serverChain());
    }

    List<X509Certificate> serverChain() {
        return List.of(server, ca.issuing(), ca.root());
    }

    /**
     * Registers and enrolls {@code count} devices {@code bench-0 ...} in the SQLite registry
     * {@code DIR/bench.db} that the forked gateway reads; returns their credential directories.
     */
    List<Path> enrollDevices(int count) throws Exception {
        List<Path> devices = new java.util.ArrayList<>();
        try (io.palisade.store.Database database = io.palisade.store.Database.open(
                io.palisade.store.StoreUrl.sqlite(dir.resolve("bench.db")))) {
            io.palisade.store.SqlDeviceRegistry registry = new io.palisade.store.SqlDeviceRegistry(database);
            for (int i = 0; i < count; i++) {
                devices.add(enroll("bench-" + i, registry));
            }
        }
        return devices;
    }

    /** Registers and enrolls a device; returns the directory holding key.pem, cert.pem and ca.pem. */
    Path enroll(String id, DeviceRegistry registry) throws Exception {
        Path credentials = dir.resolve(id);
        DirectIssuance.issue(registry, ca, DeviceId.of(id), "default", "default").write(credentials);
        return credentials;
    }

    SSLSocketFactory socketFactory(Path credentials) throws Exception {
        return TlsContexts.client(ca.chain(), Optional.of(DeviceCredentials.read(credentials).identity()))
                .getSocketFactory();
    }
}
