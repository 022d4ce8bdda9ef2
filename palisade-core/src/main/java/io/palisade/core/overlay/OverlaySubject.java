package io.palisade.core.overlay;

import io.palisade.core.device.DeviceId;
import io.palisade.core.operator.Operator;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a grant lets open tunnels: an enrolled system (a device, e.g. an engineering workstation, proving itself with its
 * device certificate) or an operator (with a short-lived certificate issued against their API session). Written
 * {@code ID} for a device and {@code operator:NAME} for an operator; a device id cannot hold a colon, so the two never
 * collide.
 */
public record OverlaySubject(Kind kind, String name) {

    public static final String OPERATOR_PREFIX = "operator:";

    /** What kind of party the subject is. */
    public enum Kind {
        DEVICE, OPERATOR
    }

    public OverlaySubject {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.DEVICE) {
            DeviceId.of(name);
        } else {
            Operator.checkName(name);
        }
    }

    public static OverlaySubject device(DeviceId id) {
        return new OverlaySubject(Kind.DEVICE, id.value());
    }

    public static OverlaySubject operator(String name) {
        return new OverlaySubject(Kind.OPERATOR, name);
    }

    /**
     * Reads {@code ID} or {@code operator:NAME}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static OverlaySubject parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a subject is a device id or operator:NAME");
        }
        if (text.startsWith(OPERATOR_PREFIX)) {
            return operator(text.substring(OPERATOR_PREFIX.length()));
        }
        if (!DeviceId.isValid(text)) {
            throw new IllegalArgumentException("'" + text + "' is neither a device id nor operator:NAME");
        }
        return device(DeviceId.of(text));
    }

    /** The device, for a device subject. */
    public Optional<DeviceId> deviceId() {
        return kind == Kind.DEVICE ? Optional.of(DeviceId.of(name)) : Optional.empty();
    }

    @Override
    public String toString() {
        return kind == Kind.DEVICE ? name : OPERATOR_PREFIX + name;
    }
}
