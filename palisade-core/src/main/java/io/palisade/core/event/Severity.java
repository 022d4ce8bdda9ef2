package io.palisade.core.event;

import java.util.Locale;

/** Event severity, ordered from least to most severe; ids follow OCSF {@code severity_id}. */
public enum Severity {
    INFO(1), LOW(2), MEDIUM(3), HIGH(4), CRITICAL(5);

    private final int ocsfId;

    Severity(int ocsfId) {
        this.ocsfId = ocsfId;
    }

    public int ocsfId() {
        return ocsfId;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Severity fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
