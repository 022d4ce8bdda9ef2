package io.palisade.pki.command;

import io.palisade.core.device.DeviceId;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A command for one device. {@code target} names the repository image of a reflash.
 */
public record DeviceCommand(Type type, DeviceId device, String nonce, Instant issuedAt, Instant expiresAt,
                            Optional<String> target) {

    public enum Type {
        /** Crypto-erase the device's data store and keys; it must enroll again. */
        WIPE,
        /** Install a known-good signed image permanently and reboot. */
        REFLASH,
        /** Stop the application and refuse every command but unlock and wipe, also across restarts (a tamper response). */
        LOCK,
        /** End a lock: start the application again. */
        UNLOCK;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Type fromWireName(String name) {
            for (Type type : values()) {
                if (type.wireName().equals(name)) {
                    return type;
                }
            }
            throw new IllegalArgumentException("unknown command '" + name + "'");
        }
    }

    public DeviceCommand {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(target, "target");
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("a command must expire after it is issued");
        }
        if (type == Type.REFLASH && target.isEmpty()) {
            throw new IllegalArgumentException("a reflash names the image to install");
        }
    }
}
