package io.palisade.detect;

/** The profile (the device's cohort for the learned model) and segment a device belongs to. */
public record DeviceScope(String profile, String segment) {

    public static final DeviceScope DEFAULT = new DeviceScope("default", "default");
}
