package io.palisade.firmware.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.firmware.image.FirmwareKeys;
import io.palisade.firmware.image.ImageFormatException;
import io.palisade.firmware.image.ImageSigner;
import io.palisade.firmware.image.ImageVersion;
import java.security.KeyPair;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BootloaderTest {

    private static final KeyPair KEYS = keys();
    private static final byte[] V1 = image("1.0.0", 1, "first");
    private static final byte[] V2 = image("2.0.0", 2, "second");
    private static final byte[] OLD = image("0.9.0", 0, "old");

    private MemoryFlash flash;
    private Bootloader bootloader;

    private static KeyPair keys() {
        try {
            return FirmwareKeys.generate(FirmwareKeys.Type.ECDSA_P256);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] image(String version, long counter, String content) {
        try {
            byte[] payload = (content + " firmware ").repeat(200).getBytes();
            return ImageSigner.sign(payload, ImageSigner.softwareKey(KEYS.getPrivate(), KEYS.getPublic()),
                    ImageVersion.parse(version), OptionalLong.of(counter), 0x200, 0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A device as it leaves the factory: v1 in slot A, booted once. */
    @BeforeEach
    void factory() throws Exception {
        flash = new MemoryFlash();
        flash.writeSlot(Slot.A, V1);
        bootloader = new Bootloader(flash, List.of(KEYS.getPublic()));
        Bootloader.BootResult first = bootloader.boot();
        assertThat(first.slot()).isEqualTo(Slot.A);
        assertThat(flash.securityCounter()).isEqualTo(1);
    }

    private String version(Bootloader.BootResult result) {
        return result.image().version().toString();
    }

    @Test
    void a_test_install_runs_on_trial_and_becomes_permanent_when_confirmed() throws Exception {
        bootloader.install(V2, true);
        Bootloader.BootResult trial = bootloader.boot();
        assertThat(trial.slot()).isEqualTo(Slot.B);
        assertThat(trial.trial()).isTrue();
        assertThat(flash.securityCounter()).as("not raised before confirmation").isEqualTo(1);
        bootloader.confirm();
        assertThat(flash.securityCounter()).isEqualTo(2);
        Bootloader.BootResult after = bootloader.boot();
        assertThat(after.slot()).isEqualTo(Slot.B);
        assertThat(after.trial()).isFalse();
        assertThat(version(after)).isEqualTo("2.0.0+0");
    }

    @Test
    void an_unconfirmed_trial_reverts_on_the_next_boot() throws Exception {
        bootloader.install(V2, true);
        assertThat(bootloader.boot().slot()).isEqualTo(Slot.B);
        Bootloader.BootResult reverted = bootloader.boot();
        assertThat(reverted.slot()).isEqualTo(Slot.A);
        assertThat(version(reverted)).isEqualTo("1.0.0+0");
        assertThat(reverted.notes()).anyMatch(n -> n.contains("did not confirm"));
    }

    @Test
    void a_permanent_install_switches_and_raises_the_counter() throws Exception {
        bootloader.install(V2, false);
        Bootloader.BootResult result = bootloader.boot();
        assertThat(result.slot()).isEqualTo(Slot.B);
        assertThat(result.trial()).isFalse();
        assertThat(flash.securityCounter()).isEqualTo(2);
        assertThat(bootloader.boot().slot()).isEqualTo(Slot.B);
    }

    @Test
    void rollback_is_refused_at_install_and_at_boot() throws Exception {
        assertThatThrownBy(() -> bootloader.install(OLD, false)).isInstanceOf(ImageFormatException.class)
                .hasMessageContaining("rollback refused");
        // An attacker writes the old image straight into the other slot and marks it pending.
        flash.writeSlot(Slot.B, OLD);
        flash.writeState(new BootState(Slot.A, java.util.Optional.of(Slot.B), false, false, java.util.Optional.empty()));
        Bootloader.BootResult result = bootloader.boot();
        assertThat(result.slot()).isEqualTo(Slot.A);
        assertThat(result.notes()).anyMatch(n -> n.contains("rollback refused"));
    }

    @Test
    void a_tampered_pending_image_is_discarded_and_a_corrupted_active_slot_falls_back() throws Exception {
        byte[] tampered = V2.clone();
        tampered[0x200 + 10] ^= 1;
        flash.writeSlot(Slot.B, tampered);
        flash.writeState(new BootState(Slot.A, java.util.Optional.of(Slot.B), true, false, java.util.Optional.empty()));
        Bootloader.BootResult kept = bootloader.boot();
        assertThat(kept.slot()).isEqualTo(Slot.A);
        assertThat(kept.notes()).anyMatch(n -> n.contains("hash mismatch"));

        bootloader.install(V2, false);
        bootloader.boot();
        byte[] corrupted = V2.clone();
        corrupted[0x200 + 20] ^= 1;
        flash.writeSlot(Slot.B, corrupted);
        assertThatThrownBy(() -> bootloader.boot()).as("slot A holds v1 whose counter 1 < 2: no rollback either")
                .isInstanceOf(NoBootableImageException.class);
    }

    @Test
    void with_no_valid_image_at_all_nothing_runs() {
        MemoryFlash empty = new MemoryFlash();
        assertThatThrownBy(() -> new Bootloader(empty, List.of(KEYS.getPublic())).boot())
                .isInstanceOf(NoBootableImageException.class).hasMessageContaining("empty");
    }

    /**
     * Cut the power after every possible number of writes during "install v2 on test, boot, confirm,
     * boot" (and the permanent variant): after power returns, the device always boots a verified image,
     * v1 or v2, and booting again keeps working.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void a_power_loss_at_any_step_of_an_install_leaves_a_bootable_verified_image(boolean test) throws Exception {
        int totalWrites = writesOfFullSequence(test);
        assertThat(totalWrites).as("the sequence writes slot, state and counter several times").isGreaterThan(3);
        for (int cut = 0; cut <= totalWrites; cut++) {
            factory();
            flash.cutPowerAfter(cut);
            try {
                bootloader.install(V2, test);
                bootloader.boot();
                bootloader.confirm();
                bootloader.boot();
            } catch (MemoryFlash.PowerLossException expected) {
                // The power went here.
            }
            flash.restorePower();
            Bootloader afterPowerOn = new Bootloader(flash, List.of(KEYS.getPublic()));
            Bootloader.BootResult result = afterPowerOn.boot();
            assertThat(version(result)).as("cut after %d writes", cut).isIn("1.0.0+0", "2.0.0+0");
            assertThat(afterPowerOn.boot().image().version()).as("second boot after cut %d", cut).isNotNull();
        }
    }

    private int writesOfFullSequence(boolean test) throws Exception {
        int before = flash.writes();
        bootloader.install(V2, test);
        bootloader.boot();
        bootloader.confirm();
        bootloader.boot();
        return flash.writes() - before;
    }
}
