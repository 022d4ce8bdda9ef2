package io.palisade.firmware.boot;

import java.util.Optional;

/**
 * What the bootloader remembers between boots, written as one unit (MCUboot keeps the same facts in
 * its image trailers: magic, swap type, image_ok, copy_done).
 *
 * @param active        the slot that runs
 * @param pending       a slot holding a new image waiting for the next boot, if any
 * @param pendingIsTest true: the new image runs once on trial and must confirm itself; false: permanent
 * @param trial         true while the active image runs on trial and has not confirmed itself
 * @param previous      the slot to revert to while on trial
 */
public record BootState(Slot active, Optional<Slot> pending, boolean pendingIsTest, boolean trial,
                        Optional<Slot> previous) {

    public static BootState initial() {
        return new BootState(Slot.A, Optional.empty(), false, false, Optional.empty());
    }
}
