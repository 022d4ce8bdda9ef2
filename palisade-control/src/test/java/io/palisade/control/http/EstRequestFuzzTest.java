package io.palisade.control.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.channel.embedded.EmbeddedChannel;
import io.palisade.control.service.EnrollmentService;
import io.palisade.control.service.Events;
import io.palisade.control.service.FailureLimiter;
import io.palisade.core.device.DeviceId;
import io.palisade.core.time.ManualClock;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.ca.CertificateAuthority;
import io.palisade.pki.ca.DeviceCertificateProfile;
import io.palisade.store.Database;
import io.palisade.store.SqlDeviceRegistry;
import io.palisade.store.SqlEventStore;
import io.palisade.store.StoreUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Fuzz target for everything an EST client sends before TLS-authenticated state matters: request
 * line, headers (Authorization: Basic), body (CSR). The pipeline must answer with an HTTP status and
 * never let an exception escape; the real services run behind it on a throw-away SQLite store.
 */
class EstRequestFuzzTest {

    private static final EmbeddedChannel CHANNEL = channel();

    private static EmbeddedChannel channel() {
        try {
            Path dir = Files.createTempDirectory("palisade-fuzz");
            dir.toFile().deleteOnExit();
            ManualClock clock = new ManualClock(Instant.parse("2026-06-01T00:00:00Z"));
            Database database = Database.open(StoreUrl.sqlite(dir.resolve("fuzz.db")));
            Events events = new Events(new SqlEventStore(database), clock);
            var created = CertificateAuthority.create("fuzz", KeyPairs.newP256(), KeyPairs.newP256(), clock);
            CertificateAuthority ca = created.authority(DeviceCertificateProfile.defaults(), clock);
            SqlDeviceRegistry registry = new SqlDeviceRegistry(database);
            EnrollmentService enrollment = new EnrollmentService(ca, registry, events,
                    new FailureLimiter(Integer.MAX_VALUE, Integer.MAX_VALUE, events, clock), clock);
            DeviceId.of("sensor-1");
            return HttpPipeline.channel(enrollment, events, 16 * 1024);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void any_request_gets_an_answer_and_no_exception_escapes(byte[] request) {
        HttpPipeline.exchange(CHANNEL, request);
        // EmbeddedChannel rethrows anything that reached the end of the pipeline unhandled.
        CHANNEL.checkException();
        if (!CHANNEL.isOpen()) {
            throw new IllegalStateException("the pipeline closed the channel; the fuzz target needs a fresh one");
        }
    }
}
