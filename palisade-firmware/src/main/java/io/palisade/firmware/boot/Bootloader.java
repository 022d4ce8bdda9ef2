package io.palisade.firmware.boot;

import io.palisade.firmware.image.FirmwareImage;
import io.palisade.firmware.image.ImageFormatException;
import io.palisade.firmware.image.ImageVerifier;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Chooses, verifies and "runs" a slot at every boot, installs new images and takes confirmations.
 *
 * <p>Order of writes is what makes a power loss harmless: an image is written to the inactive slot
 * before the state names it; the state names a switched slot before the security counter is raised;
 * the counter is raised only for confirmed images and again at every boot (idempotent), so a cut
 * between two writes is finished by the next boot. Slot contents are verified before every use, so a
 * torn slot write is just an invalid image.
 */
public final class Bootloader {

    private final Flash flash;
    private final List<PublicKey> trustedKeys;

    /** @param trustedKeys the pinned keys (their hashes are what a real device keeps in ROM) */
    public Bootloader(Flash flash, List<PublicKey> trustedKeys) {
        this.flash = flash;
        this.trustedKeys = List.copyOf(trustedKeys);
    }

    /** The outcome of a boot: the slot that runs, its verified image, and what the bootloader did on the way. */
    public record BootResult(Slot slot, ImageVerifier.Verified image, boolean trial, List<String> notes) {
    }

    public BootResult boot() throws IOException, NoBootableImageException {
        BootState state = flash.readState().orElse(BootState.initial());
        List<String> notes = new ArrayList<>();
        if (state.trial()) {
            Slot back = state.previous().orElse(state.active().other());
            notes.add("reverted to slot " + back + ": the trial image in slot " + state.active()
                    + " did not confirm itself");
            state = new BootState(back, Optional.empty(), false, false, Optional.empty());
            flash.writeState(state);
        }
        if (state.pending().isPresent()) {
            Slot candidate = state.pending().get();
            Optional<ImageVerifier.Verified> verified = verify(candidate, notes);
            BootState next = verified.isEmpty()
                    ? new BootState(state.active(), Optional.empty(), false, false, Optional.empty())
                    : state.pendingIsTest()
                    ? new BootState(candidate, Optional.empty(), false, true, Optional.of(state.active()))
                    : new BootState(candidate, Optional.empty(), false, false, Optional.empty());
            if (verified.isEmpty()) {
                notes.add("discarded the pending image in slot " + candidate);
            }
            flash.writeState(next);
            state = next;
        }
        Optional<ImageVerifier.Verified> running = verify(state.active(), notes);
        if (running.isEmpty()) {
            Slot fallback = state.trial() ? state.previous().orElse(state.active().other()) : state.active().other();
            Optional<ImageVerifier.Verified> other = verify(fallback, notes);
            if (other.isEmpty()) {
                throw new NoBootableImageException("no bootable image: " + String.join("; ", notes));
            }
            notes.add("fell back to slot " + fallback);
            state = new BootState(fallback, Optional.empty(), false, false, Optional.empty());
            flash.writeState(state);
            running = other;
        }
        if (!state.trial()) {
            raiseCounter(running.get().securityCounter());
        }
        return new BootResult(state.active(), running.get(), state.trial(), List.copyOf(notes));
    }

    /**
     * Writes {@code image} to the inactive slot and marks it for the next boot. A test install runs once
     * on trial and reverts unless {@link #confirm()} is called; a permanent one is confirmed at once.
     * The image is verified first (signature and counter), so nothing invalid is ever written.
     */
    public ImageVerifier.Verified install(byte[] image, boolean test) throws IOException, ImageFormatException {
        BootState state = flash.readState().orElse(BootState.initial());
        if (state.trial()) {
            throw new ImageFormatException("an image is on trial in slot " + state.active()
                    + "; confirm it or reboot to revert before installing another");
        }
        ImageVerifier.Verified verified = ImageVerifier.verify(FirmwareImage.parse(image), trustedKeys,
                flash.securityCounter());
        Slot target = state.active().other();
        flash.writeState(new BootState(state.active(), Optional.empty(), false, false, Optional.empty()));
        flash.writeSlot(target, image);
        flash.writeState(new BootState(state.active(), Optional.of(target), test, false, Optional.empty()));
        return verified;
    }

    /** Called by the running trial image once it works: makes it permanent and raises the counter. */
    public void confirm() throws IOException, NoBootableImageException {
        BootState state = flash.readState().orElse(BootState.initial());
        if (!state.trial()) {
            return;
        }
        List<String> notes = new ArrayList<>();
        ImageVerifier.Verified running = verify(state.active(), notes)
                .orElseThrow(() -> new NoBootableImageException("cannot confirm: " + String.join("; ", notes)));
        flash.writeState(new BootState(state.active(), Optional.empty(), false, false, Optional.empty()));
        raiseCounter(running.securityCounter());
    }

    private Optional<ImageVerifier.Verified> verify(Slot slot, List<String> notes) throws IOException {
        Optional<byte[]> bytes = flash.readSlot(slot);
        if (bytes.isEmpty()) {
            notes.add("slot " + slot + " is empty");
            return Optional.empty();
        }
        try {
            return Optional.of(ImageVerifier.verify(FirmwareImage.parse(bytes.get()), trustedKeys,
                    flash.securityCounter()));
        } catch (ImageFormatException e) {
            notes.add("slot " + slot + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private void raiseCounter(long counter) throws IOException {
        if (counter > flash.securityCounter()) {
            flash.raiseSecurityCounter(counter);
        }
    }
}
