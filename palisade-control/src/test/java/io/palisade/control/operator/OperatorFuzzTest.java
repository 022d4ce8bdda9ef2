package io.palisade.control.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;

/**
 * Fuzz targets for what an operator's login reads from outside: a stored password hash (a PHC string, which a
 * damaged or edited database may hold anything in) is checked or refused without an exception and without
 * parameters that would take the heap, and a TOTP code from the network is accepted only as six digits of the
 * right step. Saved inputs replay in normal runs; {@code JAZZER_FUZZ=1 mvn -pl palisade-control test
 * -Dtest=OperatorFuzzTest#NAME} fuzzes one.
 */
class OperatorFuzzTest {

    private static final PasswordHasher HASHER = new PasswordHasher(8, 1);
    private static final byte[] SECRET = "12345678901234567890".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @FuzzTest(maxDuration = "60s")
    void anyStoredHashIsCheckedOrRefusedWithoutAnException(FuzzedDataProvider data) {
        String password = data.consumeString(40);
        String stored = data.consumeRemainingAsString();
        boolean matches = HASHER.matches(password.toCharArray(), stored);
        if (matches) {
            assertThat(stored).startsWith("$argon2id$v=19$");
        }
    }

    @FuzzTest(maxDuration = "60s")
    void anyTotpCodeIsAcceptedOnlyWhenItIsTheCodeOfANearbyStep(String code) {
        Instant now = Instant.ofEpochSecond(1_800_000_000L);
        long step = Totp.verify(SECRET, code, now, -1);
        if (step >= 0) {
            assertThat(code).matches("\\d{6}").isEqualTo(Totp.code(SECRET, step));
            assertThat(Math.abs(step - Totp.step(now))).isLessThanOrEqualTo(1);
        }
    }
}
