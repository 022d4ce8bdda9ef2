package io.palisade.gateway;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceChangeListener;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.IssuedCertificate;
import io.palisade.core.event.EventSink;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.policy.PolicyBook;
import io.palisade.pki.KeyPairs;
import java.security.KeyPair;
import io.palisade.pki.TlsContexts;
import io.palisade.pki.ca.CertificateAuthority;
import io.palisade.pki.ca.DirectIssuance;
import io.palisade.pki.ca.DeviceCertificateProfile;
import io.palisade.pki.est.DeviceCredentials;
import io.palisade.store.Database;
import io.palisade.store.SqlDeviceRegistry;
import io.palisade.store.StoreUrl;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLSocketFactory;

/**
 * A gateway on a free loopback port in front of the real Mosquitto on 127.0.0.1:1883, with a CA, a
 * SQLite registry and helpers to enroll devices and to read the events the gateway emitted.
 */
final class GatewayFixture implements AutoCloseable {

    static final String UPSTREAM = "mqtt://127.0.0.1:1883";

    final Path dir;
    final CertificateAuthority ca;
    private final CertificateAuthority.Created caKeys;
    final Database database;
    final SqlDeviceRegistry registry;
    final PolicyBook policies = new PolicyBook();
    final ConcurrentLinkedQueue<SecurityEvent> events = new ConcurrentLinkedQueue<>();
    final MqttGateway gateway;

    GatewayFixture(Path dir, GatewayLimits limits) throws Exception {
        this(dir, limits, UPSTREAM);
    }

    GatewayFixture(Path dir, GatewayLimits limits, String upstream) throws Exception {
        this(dir, limits, ca -> UpstreamAddress.parse(upstream));
    }

    /** {@code upstream} may depend on the fixture's CA (for a broker whose certificate it issues). */
    GatewayFixture(Path dir, GatewayLimits limits,
                   java.util.function.Function<CertificateAuthority, UpstreamAddress> upstream) throws Exception {
        this.dir = dir;
        Clock clock = Clock.systemUTC();
        CertificateAuthority.Created created = CertificateAuthority.create("gw-test", KeyPairs.newP256(),
                KeyPairs.newP256(), clock);
        caKeys = created;
        ca = created.authority(DeviceCertificateProfile.defaults(), clock);
        database = Database.open(StoreUrl.sqlite(dir.resolve("gw.db")));
        registry = new SqlDeviceRegistry(database);
        KeyPair serverKeys = KeyPairs.newP256();
        X509Certificate server = ca.issueServer(serverKeys.getPublic(), List.of("localhost", "127.0.0.1"),
                Duration.ofDays(1));
        EventSink sink = events::add;
        gateway = MqttGateway.start(new InetSocketAddress("127.0.0.1", 0),
                DeviceTls.serverContext(serverKeys.getPrivate(), List.of(server, ca.issuing(), ca.root()), ca.chain()),
                upstream.apply(ca), limits, policies, registry, sink, clock);
    }

    int port() {
        return gateway.port();
    }

    /** Registers and enrolls a device; its key.pem, cert.pem and ca.pem are written to {@code dir/id}. */
    Path enroll(String id, String profile, String segment) throws Exception {
        Path credentials = dir.resolve(id);
        DirectIssuance.issue(registry, ca, DeviceId.of(id), profile, segment).write(credentials);
        return credentials;
    }

    /** Enrolls a device whose certificate expired an hour ago (issued by the same CA two days back). */
    Path enrollExpired(String id) throws Exception {
        Path credentials = enroll(id);
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(2)), java.time.ZoneOffset.UTC);
        CertificateAuthority pastCa = caKeys.authority(
                new DeviceCertificateProfile(Duration.ofHours(47), Optional.empty()), past);
        DeviceCredentials current = DeviceCredentials.read(credentials);
        X509Certificate expired = pastCa.issueDevice(DeviceId.of(id), current.certificate().getPublicKey());
        registry.recordCertificate(new IssuedCertificate(CertificateAuthority.serialHex(expired), DeviceId.of(id),
                expired.getNotBefore().toInstant(), expired.getNotAfter().toInstant(), Optional.empty()));
        new DeviceCredentials(current.key(), expired, ca.chain()).write(credentials);
        return credentials;
    }

    Path enroll(String id) throws Exception {
        return enroll(id, "default", "default");
    }

    /** A socket factory presenting the device's certificate and trusting the gateway's CA. */
    SSLSocketFactory socketFactory(Path credentials) throws Exception {
        DeviceCredentials device = DeviceCredentials.read(credentials);
        return TlsContexts.client(ca.chain(), Optional.of(device.identity())).getSocketFactory();
    }

    /** What the control plane does on revoke/quarantine/release, as the app wires it. */
    void changed(String id, DeviceChangeListener.Change change) {
        DeviceId deviceId = DeviceId.of(id);
        if (change == DeviceChangeListener.Change.REVOKED) {
            registry.revoke(deviceId, Instant.now());
        } else {
            Device current = registry.find(deviceId).orElseThrow();
            registry.update(current.withQuarantined(change == DeviceChangeListener.Change.QUARANTINED, Instant.now()));
        }
        gateway.sessions().deviceChanged(registry.find(deviceId).orElseThrow(), change);
    }

    List<SecurityEvent> events(EventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    @Override
    public void close() {
        gateway.close();
        database.close();
    }
}
