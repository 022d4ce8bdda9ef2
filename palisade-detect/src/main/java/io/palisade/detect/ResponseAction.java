package io.palisade.detect;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the response policy does about a finding, from least to most drastic. */
public enum ResponseAction {
    /** Stored as an event, not shown as an alert. */
    RECORD,
    /** An alert for an operator to look at. */
    ALERT,
    /** An alert, and the device's message and byte quotas are cut for a while (its live session included). */
    THROTTLE,
    /** An alert, and a quarantine proposal an operator approves or dismisses. */
    QUARANTINE_WITH_APPROVAL,
    /** An alert, and the device is quarantined at once (its live session included). */
    QUARANTINE,
    /** An alert, and the device's certificates are revoked and its sessions closed. */
    REVOKE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ResponseAction parse(String text) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(a -> a.wireName().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown response action '" + text + "'; one of "
                        + Arrays.stream(values()).map(ResponseAction::wireName).collect(Collectors.joining(", "))));
    }
}
