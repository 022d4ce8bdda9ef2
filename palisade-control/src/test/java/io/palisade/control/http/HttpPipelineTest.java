package io.palisade.control.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.palisade.control.service.EnrollmentService;
import io.palisade.control.service.Events;
import io.palisade.control.service.FailureLimiter;
import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.time.ManualClock;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.ca.CertificateAuthority;
import io.palisade.pki.ca.DeviceCertificateProfile;
import io.palisade.store.Database;
import io.palisade.store.SqlDeviceRegistry;
import io.palisade.store.SqlEventStore;
import io.palisade.store.StoreUrl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpPipelineTest {

    @TempDir
    Path dir;

    private Database database;
    private SqlEventStore events;
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        ManualClock clock = new ManualClock(Instant.parse("2026-06-01T00:00:00Z"));
        database = Database.open(StoreUrl.sqlite(dir.resolve("t.db")));
        events = new SqlEventStore(database);
        Events emitter = new Events(events, clock);
        var created = CertificateAuthority.create("t", KeyPairs.newP256(), KeyPairs.newP256(), clock);
        CertificateAuthority ca = created.authority(DeviceCertificateProfile.defaults(), clock);
        EnrollmentService enrollment = new EnrollmentService(ca, new SqlDeviceRegistry(database), emitter,
                new FailureLimiter(1000, 1000, emitter, clock), clock);
        channel = HttpPipeline.channel(enrollment, emitter, 1024);
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        database.close();
    }

    private List<SecurityEvent> stored() {
        return events.query(EventQuery.all());
    }

    @Test
    void cacerts_answers_base64_pkcs7() {
        String answer = HttpPipeline.exchange(channel, "GET /.well-known/est/cacerts HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(answer).startsWith("HTTP/1.1 200 OK").contains("application/pkcs7-mime; smime-type=certs-only")
                .containsIgnoringCase("content-transfer-encoding: base64").contains("cache-control: no-store")
                .as("DER, not indefinite-length BER").contains("\r\n\r\nMII");
    }

    @Test
    void enroll_without_credentials_gets_a_basic_challenge_and_an_event() {
        String answer = HttpPipeline.exchange(channel, ("POST /.well-known/est/simpleenroll HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 4\r\n\r\nAAAA").getBytes(StandardCharsets.US_ASCII));
        assertThat(answer).startsWith("HTTP/1.1 401").containsIgnoringCase("www-authenticate: Basic realm=\"palisade-est\"");
        assertThat(stored()).extracting(SecurityEvent::type).containsExactly(EventType.AUTH_FAILED);
    }

    @Test
    void malformed_basic_headers_count_as_missing_credentials() {
        for (String header : new String[]{"Basic", "Basic !!!", "Basic " + Base64.getEncoder().encodeToString(
                "no-colon".getBytes()), "Bearer abc"}) {
            String answer = HttpPipeline.exchange(channel, ("POST /.well-known/est/simpleenroll HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: " + header + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(answer).as(header).startsWith("HTTP/1.1 401").contains("HTTP Basic");
        }
    }

    @Test
    void a_malformed_request_line_gets_400_and_a_protocol_violation() {
        String answer = HttpPipeline.exchange(channel, "GARBAGE\u0000\u0001 / NOT-HTTP\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(stored()).extracting(SecurityEvent::type).containsExactly(EventType.PROTOCOL_VIOLATION);
    }

    @Test
    void an_oversized_body_gets_413_and_an_event() {
        String answer = HttpPipeline.exchange(channel, ("POST /.well-known/est/simpleenroll HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 5000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(stored()).extracting(SecurityEvent::type).containsExactly(EventType.PROTOCOL_VIOLATION);
    }

    @Test
    void wrong_method_and_unknown_path_are_405_and_404() {
        assertThat(HttpPipeline.exchange(channel, "DELETE /.well-known/est/cacerts HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII))).startsWith("HTTP/1.1 405");
        assertThat(HttpPipeline.exchange(channel, "GET /etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII))).startsWith("HTTP/1.1 404");
    }
}
