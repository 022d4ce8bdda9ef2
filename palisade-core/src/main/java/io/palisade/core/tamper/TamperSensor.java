package io.palisade.core.tamper;

import java.util.Locale;

/** The kind of sensor that fired. */
public enum TamperSensor {
    /** A GPIO line (a case switch or a tamper mesh wired to a GPIO). */
    GPIO,
    /** An input-device switch event (lid or case switch, Linux evdev {@code EV_SW}). */
    SWITCH,
    /** A USB device attached. */
    USB,
    /** A block device (SD card, USB stick, disk) attached. */
    STORAGE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TamperSensor fromWireName(String name) {
        for (TamperSensor sensor : values()) {
            if (sensor.wireName().equals(name)) {
                return sensor;
            }
        }
        throw new IllegalArgumentException("unknown sensor '" + name + "' (gpio, switch, usb, storage)");
    }
}
