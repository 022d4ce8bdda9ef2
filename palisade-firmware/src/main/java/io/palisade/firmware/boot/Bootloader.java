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
    private final List<PublicKey> pinnedKeys;
    private final Optional<java.security.PrivateKey> encryptionKey;
    private final BootMeasurements measurements;

    /** @param pinnedKeys the pinned keys (their hashes are what a real device keeps in ROM) */
    public Bootloader(Flash flash, List<PublicKey> pinnedKeys) {
        this(flash, pinnedKeys, Optional.empty());
    }

    /**
     * @param encryptionKey the device's ECIES-P256 key for encrypted images (as MCUboot keeps it in its
     *                      bootloader); images arriving encrypted are decrypted before verification and
     *                      stored in the slot in plaintext, as MCUboot's swap leaves the primary slot
     */
    public Bootloader(Flash flash, List<PublicKey> pinnedKeys, Optional<java.security.PrivateKey> encryptionKey) {
        this(flash, pinnedKeys, encryptionKey, BootMeasurements.NONE);
    }

    /** @param measurements what records each image the bootloader starts (a TPM's PCR: measured boot) */
    public Bootloader(Flash flash, List<PublicKey> pinnedKeys, Optional<java.security.PrivateKey> encryptionKey,
                      BootMeasurements measurements) {
        this.flash = flash;
        this.pinnedKeys = List.copyOf(pinnedKeys);
        this.encryptionKey = encryptionKey;
        this.measurements = measurements;
    }

    /**
     * The keys images may be signed with now: the pinned ones, changed by every accepted key rotation
     * statement in order. Recomputed from flash each time, so a statement written just before a power
     * loss counts at the next boot and a torn list cannot exist (appends are all or nothing).
     */
    public List<PublicKey> trustedKeys() throws IOException {
        List<PublicKey> trusted = new ArrayList<>(pinnedKeys);
        for (byte[] statement : flash.keyRotations()) {
            try {
                apply(trusted, KeyRotation.parse(statement));
            } catch (ImageFormatException e) {
                throw new IOException("a stored key rotation statement no longer verifies: " + e.getMessage(), e);
            }
        }
        return List.copyOf(trusted);
    }

    /**
     * Admits a new firmware key on the word of a key trusted now. Refused: statements by an unknown key,
     * bad signatures, and sequence numbers not above the last accepted one (replays of old statements).
     */
    public PublicKey admitKey(byte[] statement) throws IOException, ImageFormatException {
        KeyRotation rotation = KeyRotation.parse(statement);
        long last = 0;
        for (byte[] stored : flash.keyRotations()) {
            last = Math.max(last, KeyRotation.parse(stored).sequence());
        }
        if (rotation.sequence() <= last) {
            throw new ImageFormatException("key rotation replay refused: sequence " + rotation.sequence()
                    + " is not above the last accepted " + last);
        }
        apply(new ArrayList<>(trustedKeys()), rotation);
        flash.appendKeyRotation(statement);
        return rotation.newKey();
    }

    private static void apply(List<PublicKey> trusted, KeyRotation rotation) throws ImageFormatException {
        PublicKey signer = trusted.stream()
                .filter(k -> java.security.MessageDigest.isEqual(ImageVerifier.keyHash(k), rotation.signerKeyHash()))
                .findFirst()
                .orElseThrow(() -> new ImageFormatException("key rotation signed by a key the device does not trust"));
        if (!ImageVerifier.verifiesDigest(signer, rotation.digest(), rotation.signature())) {
            throw new ImageFormatException("key rotation statement's signature does not verify");
        }
        if (rotation.retireSigner()) {
            trusted.remove(signer);
        }
        trusted.add(rotation.newKey());
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
        measurements.measure(running.get());
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
        FirmwareImage parsed = FirmwareImage.parse(image);
        if (io.palisade.firmware.image.ImageEncryption.isEncrypted(parsed.header())
                && parsed.unprotected(io.palisade.firmware.image.Tlv.ENC_EC256).isPresent()) {
            if (encryptionKey.isEmpty()) {
                throw new ImageFormatException("the image is encrypted and this device has no encryption key");
            }
            image = io.palisade.firmware.image.ImageEncryption.decrypt(parsed, encryptionKey.get());
            parsed = FirmwareImage.parse(image);
        }
        ImageVerifier.Verified verified = ImageVerifier.verify(parsed, trustedKeys(), flash.securityCounter());
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
            return Optional.of(ImageVerifier.verify(FirmwareImage.parse(bytes.get()), trustedKeys(),
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
