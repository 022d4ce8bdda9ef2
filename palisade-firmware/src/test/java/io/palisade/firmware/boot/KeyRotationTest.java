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

/** Root key rotation in the boot verifier: a statement by a trusted key admits a new one. */
class KeyRotationTest {

    private final KeyPair root = keys(FirmwareKeys.Type.ECDSA_P256);
    private final KeyPair next = keys(FirmwareKeys.Type.ED25519);
    private final KeyPair stranger = keys(FirmwareKeys.Type.ECDSA_P256);
    private MemoryFlash flash;
    private Bootloader bootloader;

    private static KeyPair keys(FirmwareKeys.Type type) {
        try {
            return FirmwareKeys.generate(type);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ImageSigner.SigningKey signer(KeyPair keys) {
        return ImageSigner.softwareKey(keys.getPrivate(), keys.getPublic());
    }

    private static byte[] image(KeyPair keys, String version, long counter) throws Exception {
        return ImageSigner.sign(("app " + version).repeat(50).getBytes(), signer(keys), ImageVersion.parse(version),
                OptionalLong.of(counter), 0x20, 0);
    }

    @BeforeEach
    void device() throws Exception {
        flash = new MemoryFlash();
        flash.writeSlot(Slot.A, image(root, "1.0.0", 1));
        bootloader = new Bootloader(flash, List.of(root.getPublic()));
        bootloader.boot();
    }

    @Test
    void a_statement_by_the_root_key_admits_a_new_key_and_can_retire_the_old_one() throws Exception {
        assertThatThrownBy(() -> bootloader.install(image(next, "2.0.0", 2), false))
                .hasMessageContaining("unknown key");

        bootloader.admitKey(KeyRotation.create(signer(root), next.getPublic(), 1, true));
        bootloader.install(image(next, "2.0.0", 2), false);
        assertThat(bootloader.boot().image().version().toString()).startsWith("2.0.0");
        assertThatThrownBy(() -> bootloader.install(image(root, "3.0.0", 3), false))
                .as("the retired root key signs nothing any more").hasMessageContaining("unknown key");

        // The trust survives a "reboot" into a fresh bootloader with the same ROM keys.
        Bootloader rebooted = new Bootloader(flash, List.of(root.getPublic()));
        assertThat(rebooted.trustedKeys()).containsExactly(next.getPublic());
        assertThat(rebooted.boot().image().version().toString()).startsWith("2.0.0");
    }

    @Test
    void replayed_foreign_and_tampered_statements_are_refused() throws Exception {
        byte[] first = KeyRotation.create(signer(root), next.getPublic(), 1, false);
        bootloader.admitKey(first);
        assertThatThrownBy(() -> bootloader.admitKey(first)).isInstanceOf(ImageFormatException.class)
                .hasMessageContaining("replay");

        assertThatThrownBy(() -> bootloader.admitKey(KeyRotation.create(signer(stranger), stranger.getPublic(), 2,
                false))).hasMessageContaining("does not trust");

        byte[] tampered = KeyRotation.create(signer(root), stranger.getPublic(), 3, false);
        tampered[20] ^= 1; // inside the admitted key
        assertThatThrownBy(() -> bootloader.admitKey(tampered)).isInstanceOf(ImageFormatException.class);
        assertThat(bootloader.trustedKeys()).containsExactly(root.getPublic(), next.getPublic());
    }

    @Test
    void an_admitted_key_can_admit_the_next_one() throws Exception {
        bootloader.admitKey(KeyRotation.create(signer(root), next.getPublic(), 1, true));
        bootloader.admitKey(KeyRotation.create(signer(next), stranger.getPublic(), 2, true));
        assertThat(bootloader.trustedKeys()).containsExactly(stranger.getPublic());
    }

    @Test
    void a_power_loss_while_admitting_leaves_the_old_trust_and_a_bootable_device() throws Exception {
        flash.cutPowerAfter(0);
        assertThatThrownBy(() -> bootloader.admitKey(KeyRotation.create(signer(root), next.getPublic(), 1, true)))
                .isInstanceOf(MemoryFlash.PowerLossException.class);
        flash.restorePower();
        assertThat(bootloader.trustedKeys()).containsExactly(root.getPublic());
        assertThat(bootloader.boot().image().version().toString()).startsWith("1.0.0");
    }

    @Test
    void malformed_statements_name_what_is_wrong() throws Exception {
        byte[] good = KeyRotation.create(signer(root), next.getPublic(), 1, false);
        assertThatThrownBy(() -> KeyRotation.parse(new byte[]{'X', 'K', 'R', 'T', 1, 0}))
                .hasMessageContaining("wrong magic");
        assertThatThrownBy(() -> KeyRotation.parse(java.util.Arrays.copyOf(good, 30))).hasMessageContaining("truncated");
        byte[] flags = good.clone();
        flags[5] = 4;
        assertThatThrownBy(() -> KeyRotation.parse(flags)).hasMessageContaining("unknown key rotation flags");
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> KeyRotation.parse(longer)).hasMessageContaining("signature length");
        assertThatThrownBy(() -> KeyRotation.create(signer(root), next.getPublic(), 0, false))
                .hasMessageContaining("sequence");
    }
}
