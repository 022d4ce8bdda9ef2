package io.palisade.agent.tamper;

import io.palisade.core.tamper.TamperSensor;
import java.util.Optional;

/**
 * Which kernel uevents are tamper evidence: a USB device attached ({@code add}, subsystem {@code usb},
 * device type {@code usb_device}: one signal per device, not per interface) and a disk attached ({@code add},
 * subsystem {@code block}, device type {@code disk}: an SD card, a USB stick, a disk; partitions are not
 * counted again). Devices present at boot send no {@code add}: only insertions while the agent runs count.
 */
public final class UeventRules {

    private UeventRules() {
    }

    public static Optional<TamperSignal> signal(Uevent event) {
        if (!event.action().equals("add")) {
            return Optional.empty();
        }
        String subsystem = event.property("SUBSYSTEM").orElse("");
        String type = event.property("DEVTYPE").orElse("");
        if (subsystem.equals("usb") && type.equals("usb_device")) {
            return Optional.of(new TamperSignal(TamperSensor.USB, event.devpath(), "USB device attached"
                    + event.property("PRODUCT").map(p -> " (vendor/product/version " + p + ")").orElse("")));
        }
        if (subsystem.equals("block") && type.equals("disk")) {
            return Optional.of(new TamperSignal(TamperSensor.STORAGE, event.devpath(), "storage attached"
                    + event.property("DEVNAME").map(n -> " as /dev/" + n).orElse("")));
        }
        return Optional.empty();
    }
}
