package io.palisade.pki.command;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.palisade.core.device.DeviceId;
import io.palisade.pki.KeyPairs;
import java.security.PublicKey;
import java.time.Instant;

/**
 * Fuzz target for what arrives on a device's command topic: verification must return a command or
 * throw {@link CommandRejected}; any other exception is a finding. Saved inputs replay in normal runs;
 * {@code JAZZER_FUZZ=1 mvn -pl palisade-pki test -Dtest=SignedCommandsFuzzTest} fuzzes for real.
 */
class SignedCommandsFuzzTest {

    private static final PublicKey KEY = KeyPairs.newP256().getPublic();

    @FuzzTest(maxDuration = "60s")
    void verify_never_fails_other_than_by_rejecting(byte[] envelope) {
        try {
            SignedCommands.verify(envelope, KEY, DeviceId.of("fuzz-device"), Instant.parse("2026-11-27T10:00:00Z"),
                    new ReplayGuard());
        } catch (CommandRejected expected) {
            // A clear refusal is the correct outcome for bad input.
        }
    }
}
