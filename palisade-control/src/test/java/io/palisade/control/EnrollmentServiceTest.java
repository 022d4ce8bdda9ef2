package io.palisade.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.control.service.DeviceService;
import io.palisade.control.service.Refusal;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceState;
import io.palisade.core.event.EventType;
import io.palisade.core.secret.SecretBytes;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.est.Csrs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrollmentServiceTest {

    private static final String SOURCE = "192.0.2.10";
    private static final DeviceId SENSOR = DeviceId.of("sensor-1");

    @TempDir
    Path dir;

    private Fixture f;
    private String token;

    @BeforeEach
    void register() throws Refusal {
        f = new Fixture(dir, 100);
        DeviceService.Registration registration = f.devices.add("sensor-1", "default", "plant-a", Duration.ofHours(24));
        token = new String(registration.token().copy(), StandardCharsets.US_ASCII);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private X509Certificate enroll(String user, String password, byte[] csr) throws Refusal {
        return f.enrollment.enroll(SOURCE, Optional.ofNullable(user),
                Optional.ofNullable(password).map(p -> SecretBytes.wrap(p.getBytes(StandardCharsets.US_ASCII))), csr);
    }

    private static byte[] csr(String id, KeyPair keys) {
        return Base64.getMimeEncoder().encode(Csrs.forDevice(DeviceId.of(id), keys));
    }

    private void assertRefused(ThrowableAssert.ThrowingCallable call, Refusal.Kind kind, EventType event,
                               String message) {
        int eventsBefore = f.allEvents().size();
        assertThatThrownBy(call).isInstanceOfSatisfying(Refusal.class, r -> {
            assertThat(r.kind()).isEqualTo(kind);
            assertThat(r.getMessage()).contains(message);
        });
        assertThat(f.allEvents()).hasSize(eventsBefore + 1);
        assertThat(f.lastEvent().type()).isEqualTo(event);
        assertThat(f.lastEvent().source()).isEqualTo(SOURCE);
    }

    @Test
    void enrollment_with_the_token_issues_a_certificate_for_the_device_key_once() throws Refusal {
        KeyPair keys = KeyPairs.newP256();
        X509Certificate cert = enroll("sensor-1", token, csr("sensor-1", keys));

        assertThat(cert.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(f.registry.find(SENSOR).orElseThrow().state()).isEqualTo(DeviceState.ENROLLED);
        assertThat(f.lastEvent().type()).isEqualTo(EventType.CERT_ISSUED);
        assertThat(f.lastEvent().details()).containsKey("serial");
        assertRefused(() -> enroll("sensor-1", token, csr("sensor-1", keys)), Refusal.Kind.UNAUTHENTICATED,
                EventType.AUTH_FAILED, "already been used");
    }

    @Test
    void wrong_token_and_unknown_device_get_the_same_answer_and_change_nothing() throws Refusal {
        assertRefused(() -> enroll("sensor-1", "pet_wrong", csr("sensor-1", KeyPairs.newP256())),
                Refusal.Kind.UNAUTHENTICATED, EventType.AUTH_FAILED, "the enrollment token is not valid for device sensor-1");
        assertRefused(() -> enroll("ghost", token, csr("ghost", KeyPairs.newP256())),
                Refusal.Kind.UNAUTHENTICATED, EventType.AUTH_FAILED, "the enrollment token is not valid for device ghost");
        assertThat(enroll("sensor-1", token, csr("sensor-1", KeyPairs.newP256()))).as("token still usable").isNotNull();
    }

    @Test
    void a_wrong_token_counts_against_the_source_and_names_the_device_only_as_claimed() {
        assertRefused(() -> enroll("sensor-1", "pet_wrong", csr("sensor-1", KeyPairs.newP256())),
                Refusal.Kind.UNAUTHENTICATED, EventType.AUTH_FAILED, "not valid for device sensor-1");
        assertThat(f.lastEvent().device()).as("anyone can fail in a device's name").isEmpty();
        assertThat(f.lastEvent().details()).containsEntry("claimed_device", "sensor-1");
    }

    @Test
    void missing_credentials_and_invalid_user_names_are_refused() {
        assertRefused(() -> enroll(null, null, csr("sensor-1", KeyPairs.newP256())), Refusal.Kind.UNAUTHENTICATED,
                EventType.AUTH_FAILED, "HTTP Basic");
        assertRefused(() -> enroll("a/b#", token, csr("sensor-1", KeyPairs.newP256())), Refusal.Kind.UNAUTHENTICATED,
                EventType.AUTH_FAILED, "not a valid device id");
    }

    @Test
    void an_expired_token_is_refused() {
        f.clock.advance(Duration.ofHours(24));
        assertRefused(() -> enroll("sensor-1", token, csr("sensor-1", KeyPairs.newP256())),
                Refusal.Kind.UNAUTHENTICATED, EventType.AUTH_FAILED, "expired at");
    }

    @Test
    void a_csr_for_another_subject_is_refused_and_the_token_kept() throws Refusal {
        assertRefused(() -> enroll("sensor-1", token, csr("sensor-2", KeyPairs.newP256())), Refusal.Kind.FORBIDDEN,
                EventType.AUTH_FAILED, "does not match device sensor-1");
        assertThat(f.registry.findToken(SENSOR).orElseThrow().isUsed()).isFalse();
    }

    @Test
    void malformed_and_oversized_csrs_are_protocol_violations() {
        assertRefused(() -> enroll("sensor-1", token, "garbage!!".getBytes()), Refusal.Kind.MALFORMED,
                EventType.PROTOCOL_VIOLATION, "base64");
        assertRefused(() -> enroll("sensor-1", token, new byte[9000]), Refusal.Kind.TOO_LARGE,
                EventType.PROTOCOL_VIOLATION, "limit");
    }

    @Test
    void a_revoked_device_cannot_enroll_even_with_a_fresh_token() throws Refusal {
        DeviceService.Registration again = f.devices.newToken("sensor-1", Duration.ofHours(1));
        String fresh = new String(again.token().copy(), StandardCharsets.US_ASCII);
        f.devices.revoke("sensor-1", "admin", Optional.empty());
        assertRefused(() -> enroll("sensor-1", fresh, csr("sensor-1", KeyPairs.newP256())),
                Refusal.Kind.FORBIDDEN, EventType.AUTH_FAILED, "revoked");
    }

    @Test
    void reenrollment_with_the_current_certificate_issues_a_new_one() throws Refusal {
        X509Certificate first = enroll("sensor-1", token, csr("sensor-1", KeyPairs.newP256()));
        f.clock.advance(Duration.ofHours(17));
        KeyPair next = KeyPairs.newP256();
        X509Certificate second = f.enrollment.reenroll(SOURCE, List.of(first), csr("sensor-1", next));
        assertThat(second.getPublicKey()).isEqualTo(next.getPublic());
        assertThat(second.getNotAfter()).isAfter(first.getNotAfter());
        assertThat(f.lastEvent().message()).contains("re-enrolled");
    }

    @Test
    void reenrollment_refuses_missing_foreign_expired_revoked_and_mismatched_certificates() throws Refusal {
        X509Certificate current = enroll("sensor-1", token, csr("sensor-1", KeyPairs.newP256()));
        assertRefused(() -> f.enrollment.reenroll(SOURCE, List.of(), csr("sensor-1", KeyPairs.newP256())),
                Refusal.Kind.UNAUTHENTICATED, EventType.AUTH_FAILED, "requires the current device certificate");
        X509Certificate foreign = Fixture.newCa(f.clock).issueDevice(SENSOR, KeyPairs.newP256().getPublic());
        assertRefused(() -> f.enrollment.reenroll(SOURCE, List.of(foreign), csr("sensor-1", KeyPairs.newP256())),
                Refusal.Kind.UNAUTHENTICATED, EventType.AUTH_FAILED, "not issued by this Palisade CA");
        assertRefused(() -> f.enrollment.reenroll(SOURCE, List.of(current), csr("sensor-9", KeyPairs.newP256())),
                Refusal.Kind.FORBIDDEN, EventType.AUTH_FAILED, "does not match");

        f.clock.advance(Duration.ofHours(25));
        assertRefused(() -> f.enrollment.reenroll(SOURCE, List.of(current), csr("sensor-1", KeyPairs.newP256())),
                Refusal.Kind.UNAUTHENTICATED, EventType.AUTH_FAILED, "expired at");
    }

    @Test
    void a_revoked_certificate_cannot_reenroll() throws Refusal {
        X509Certificate current = enroll("sensor-1", token, csr("sensor-1", KeyPairs.newP256()));
        f.devices.revoke("sensor-1", "admin", Optional.of("stolen"));
        assertRefused(() -> f.enrollment.reenroll(SOURCE, List.of(current), csr("sensor-1", KeyPairs.newP256())),
                Refusal.Kind.UNAUTHENTICATED, EventType.AUTH_FAILED, "is revoked");
    }

    @Test
    void repeated_failures_from_one_address_are_rate_limited_with_one_event() {
        f.close();
        f = new Fixture(dir.resolve("limited"), 3);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> enroll("sensor-1", "pet_wrong", csr("sensor-1", KeyPairs.newP256())))
                    .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.UNAUTHENTICATED));
        }
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> enroll("sensor-1", "pet_wrong", csr("sensor-1", KeyPairs.newP256())))
                    .isInstanceOfSatisfying(Refusal.class, r -> {
                        assertThat(r.kind()).isEqualTo(Refusal.Kind.RATE_LIMITED);
                        assertThat(r.retryAfterSeconds()).isPositive();
                    });
        }
        assertThat(f.allEvents()).filteredOn(e -> e.type() == EventType.QUOTA_EXCEEDED).hasSize(1);
        assertThat(f.allEvents()).filteredOn(e -> e.type() == EventType.AUTH_FAILED).hasSize(3);
        f.clock.advance(Duration.ofSeconds(6));
        assertThatThrownBy(() -> f.enrollment.reenroll("198.51.100.1", List.of(), new byte[0]))
                .as("another address is not affected").isInstanceOfSatisfying(Refusal.class,
                        r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.UNAUTHENTICATED));
    }
}
