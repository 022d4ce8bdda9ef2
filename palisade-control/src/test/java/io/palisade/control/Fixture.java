package io.palisade.control;

import io.palisade.control.service.CrlService;
import io.palisade.control.service.DeviceService;
import io.palisade.control.service.EnrollmentService;
import io.palisade.control.service.Events;
import io.palisade.control.service.FailureLimiter;
import io.palisade.core.event.EventQuery;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.secret.OneTimeTokens;
import io.palisade.core.time.ManualClock;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.ca.CertificateAuthority;
import io.palisade.pki.ca.DeviceCertificateProfile;
import io.palisade.store.Database;
import io.palisade.store.SqlDeviceRegistry;
import io.palisade.store.SqlEventStore;
import io.palisade.store.StoreUrl;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** The control-plane services on a real SQLite store and a manual clock, without any socket. */
final class Fixture implements AutoCloseable {

    final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T12:00:00Z"));
    final CertificateAuthority ca = newCa(clock);
    final Database database;
    final SqlDeviceRegistry registry;
    final SqlEventStore events;
    final DeviceService devices;
    final EnrollmentService enrollment;
    final CrlService crl;

    Fixture(Path dir, int failureBurst) {
        database = Database.open(StoreUrl.sqlite(dir.resolve("test.db")));
        registry = new SqlDeviceRegistry(database);
        events = new SqlEventStore(database);
        Events emitter = new Events(events, clock);
        devices = new DeviceService(registry, emitter, new OneTimeTokens(), clock);
        crl = new CrlService(ca, registry, clock);
        devices.addListener(crl);
        enrollment = new EnrollmentService(ca, registry, emitter,
                new FailureLimiter(failureBurst, 10, emitter, clock), clock);
    }

    static CertificateAuthority newCa(ManualClock clock) {
        CertificateAuthority.Created created = CertificateAuthority.create("test", KeyPairs.newP256(),
                KeyPairs.newP256(), clock);
        return created.authority(DeviceCertificateProfile.defaults(), clock);
    }

    List<SecurityEvent> allEvents() {
        return events.query(EventQuery.all());
    }

    SecurityEvent lastEvent() {
        List<SecurityEvent> all = allEvents();
        return all.get(all.size() - 1);
    }

    @Override
    public void close() {
        database.close();
    }
}
