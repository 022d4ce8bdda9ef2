package io.palisade.core.tamper;

import java.util.Locale;

/**
 * What the control plane does when a device reports tamper evidence, in increasing force. Every
 * response records a {@code tamper.detected} event first.
 */
public enum TamperResponse {
    /** Record and alert only. */
    ALERT,
    /** Also quarantine the device (management channel only). */
    QUARANTINE,
    /** Also tell the device to stop its application and refuse commands until released (signed command). */
    LOCK,
    /** Also tell the device to crypto-erase its store and keys (a signed wipe); it must enroll again. */
    ZEROISE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TamperResponse fromWireName(String name) {
        for (TamperResponse response : values()) {
            if (response.wireName().equals(name)) {
                return response;
            }
        }
        throw new IllegalArgumentException("unknown tamper response '" + name + "' (alert, quarantine, lock, zeroise)");
    }
}
