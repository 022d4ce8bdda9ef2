package io.palisade.pki.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.device.DeviceId;
import io.palisade.pki.KeyPairs;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignedCommandsTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final DeviceId DEVICE = DeviceId.of("sensor-1");
    private final KeyPair commandKey = KeyPairs.newP256();
    private final ReplayGuard replays = new ReplayGuard();

    private DeviceCommand wipe(DeviceId device, Instant issued, Duration lifetime) {
        return new DeviceCommand(DeviceCommand.Type.WIPE, device, "nonce-0123456789ab", issued, issued.plus(lifetime),
                Optional.empty());
    }

    private DeviceCommand verify(byte[] envelope) throws CommandRejected {
        return SignedCommands.verify(envelope, commandKey.getPublic(), DEVICE, NOW, replays);
    }

    @Test
    void a_signed_command_for_this_device_is_accepted_once() throws Exception {
        DeviceCommand reflash = new DeviceCommand(DeviceCommand.Type.REFLASH, DEVICE, "nonce-abcdefabcdef1234", NOW,
                NOW.plusSeconds(600), Optional.of("firmware/good-1.0.0.img"));
        byte[] envelope = SignedCommands.sign(reflash, commandKey.getPrivate());
        assertThat(verify(envelope)).isEqualTo(reflash);
        assertThatThrownBy(() -> verify(envelope)).isInstanceOf(CommandRejected.class).hasMessageContaining("replay");
    }

    @Test
    void each_attack_is_refused_with_its_reason() {
        byte[] otherKey = SignedCommands.sign(wipe(DEVICE, NOW, Duration.ofMinutes(10)), KeyPairs.newP256().getPrivate());
        assertThatThrownBy(() -> verify(otherKey)).hasMessageContaining("not signed by the pinned command key");

        byte[] otherDevice = SignedCommands.sign(wipe(DeviceId.of("sensor-2"), NOW, Duration.ofMinutes(10)),
                commandKey.getPrivate());
        assertThatThrownBy(() -> verify(otherDevice)).hasMessageContaining("addressed to sensor-2");

        byte[] expired = SignedCommands.sign(wipe(DEVICE, NOW.minusSeconds(3600), Duration.ofMinutes(10)),
                commandKey.getPrivate());
        assertThatThrownBy(() -> verify(expired)).hasMessageContaining("expired");

        byte[] future = SignedCommands.sign(wipe(DEVICE, NOW.plusSeconds(3600), Duration.ofMinutes(10)),
                commandKey.getPrivate());
        assertThatThrownBy(() -> verify(future)).hasMessageContaining("future");

        byte[] tooLong = SignedCommands.sign(wipe(DEVICE, NOW, Duration.ofDays(30)), commandKey.getPrivate());
        assertThatThrownBy(() -> verify(tooLong)).hasMessageContaining("longer than 24 h");
    }

    @Test
    void a_changed_byte_breaks_the_signature_and_garbage_is_refused_cleanly() {
        byte[] envelope = SignedCommands.sign(wipe(DEVICE, NOW, Duration.ofMinutes(10)), commandKey.getPrivate());
        String text = new String(envelope, StandardCharsets.UTF_8);
        String command = text.replaceAll(".*\"command\":\"([^\"]+)\".*", "$1");
        String altered = new String(Base64.getDecoder().decode(command), StandardCharsets.UTF_8).replace("wipe", "WIPE");
        byte[] tampered = text.replace(command, Base64.getEncoder().encodeToString(altered.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> verify(tampered)).hasMessageContaining("bad signature");
        assertThatThrownBy(() -> verify("{}".getBytes())).isInstanceOf(CommandRejected.class);
        assertThatThrownBy(() -> verify("[1,2".getBytes())).hasMessageContaining("malformed");
        assertThatThrownBy(() -> verify(new byte[SignedCommands.MAX_BYTES + 1])).hasMessageContaining("at most");
    }

    @Test
    void the_replay_guard_forgets_expired_nonces_and_refuses_floods() {
        ReplayGuard guard = new ReplayGuard();
        assertThat(guard.firstUse("n1", NOW.plusSeconds(60), NOW)).isTrue();
        assertThat(guard.firstUse("n1", NOW.plusSeconds(60), NOW)).isFalse();
        assertThat(guard.firstUse("n1", NOW.plusSeconds(600), NOW.plusSeconds(61))).as("expired entries are dropped")
                .isTrue();
        for (int i = 0; i < ReplayGuard.MAX_LIVE_NONCES - 1; i++) {
            assertThat(guard.firstUse("flood-" + i, NOW.plusSeconds(3600), NOW.plusSeconds(62))).isTrue();
        }
        assertThat(guard.firstUse("one-too-many", NOW.plusSeconds(3600), NOW.plusSeconds(62))).isFalse();
    }
}
