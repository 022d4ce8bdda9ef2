package io.palisade.pki.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.core.device.DeviceId;
import io.palisade.pki.SignedEnvelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The wire form of a signed command: {@code {"command": BASE64(JSON), "signature": BASE64(DER ECDSA-SHA256)}}.
 * The signature covers the exact command bytes, so no canonical JSON is needed; the command JSON is
 * {@code {"type", "device", "nonce", "issued_at", "expires_at", "target"?}}.
 */
public final class SignedCommands {

    /** Commands live minutes, not days: a long-lived command is a replay waiting to happen. */
    public static final Duration MAX_LIFETIME = Duration.ofHours(24);
    /** Device clocks drift; a command issued slightly "in the future" is still accepted. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    public static final int MAX_BYTES = 8192;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SignedCommands() {
    }

    public static byte[] sign(DeviceCommand command, PrivateKey key) {
        ObjectNode body = JSON.createObjectNode().put("type", command.type().wireName())
                .put("device", command.device().value()).put("nonce", command.nonce())
                .put("issued_at", command.issuedAt().toString()).put("expires_at", command.expiresAt().toString());
        command.target().ifPresent(t -> body.put("target", t));
        return SignedEnvelope.seal("command", body.toString().getBytes(StandardCharsets.UTF_8), key);
    }

    /**
     * Verifies a command received by device {@code self}: signature by {@code pinnedKey}, addressed to
     * {@code self}, issued and not expired at {@code now}, lifetime at most {@link #MAX_LIFETIME}, nonce
     * never seen before by {@code replays}. Each failure names its reason.
     */
    public static DeviceCommand verify(byte[] envelope, PublicKey pinnedKey, DeviceId self, Instant now,
                                       ReplayGuard replays) throws CommandRejected {
        if (envelope.length > MAX_BYTES) {
            throw new CommandRejected("command of " + envelope.length + " bytes (at most " + MAX_BYTES + ")");
        }
        byte[] bytes;
        try {
            bytes = SignedEnvelope.open("command", envelope, pinnedKey);
        } catch (SignedEnvelope.Refused e) {
            throw new CommandRejected(e.getMessage().startsWith("malformed") ? "malformed command envelope"
                    : "bad signature: not signed by the pinned command key (" + e.getMessage() + ")");
        }
        DeviceCommand command = parse(bytes);
        if (!command.device().equals(self)) {
            throw new CommandRejected("command is addressed to " + command.device() + ", not to " + self);
        }
        if (command.issuedAt().isAfter(now.plus(CLOCK_SKEW))) {
            throw new CommandRejected("command issued in the future (" + command.issuedAt() + ")");
        }
        if (!now.isBefore(command.expiresAt())) {
            throw new CommandRejected("command expired at " + command.expiresAt());
        }
        if (Duration.between(command.issuedAt(), command.expiresAt()).compareTo(MAX_LIFETIME) > 0) {
            throw new CommandRejected("command valid for longer than " + MAX_LIFETIME.toHours() + " h");
        }
        if (!replays.firstUse(command.nonce(), command.expiresAt(), now)) {
            throw new CommandRejected("replay: nonce " + command.nonce() + " was used before");
        }
        return command;
    }

    private static DeviceCommand parse(byte[] bytes) throws CommandRejected {
        try {
            JsonNode body = JSON.readTree(bytes);
            String nonce = body.path("nonce").asText("");
            if (nonce.length() < 16 || nonce.length() > 64) {
                throw new CommandRejected("command nonce must be 16 to 64 characters");
            }
            return new DeviceCommand(DeviceCommand.Type.fromWireName(body.path("type").asText("")),
                    DeviceId.of(body.path("device").asText("")), nonce, Instant.parse(body.path("issued_at").asText("")),
                    Instant.parse(body.path("expires_at").asText("")),
                    body.hasNonNull("target") ? Optional.of(body.get("target").asText()) : Optional.empty());
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            throw new CommandRejected("malformed command: " + e.getMessage());
        }
    }
}
