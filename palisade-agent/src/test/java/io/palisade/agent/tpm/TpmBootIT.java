package io.palisade.agent.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.testing.Swtpm;
import io.palisade.firmware.boot.Bootloader;
import io.palisade.firmware.boot.MemoryFlash;
import io.palisade.firmware.boot.NoBootableImageException;
import io.palisade.firmware.boot.Slot;
import io.palisade.firmware.image.FirmwareKeys;
import io.palisade.firmware.image.ImageSigner;
import io.palisade.firmware.image.ImageVersion;
import io.palisade.pki.tpm.Tpm2Tools;
import io.palisade.pki.tpm.TpmNvCounter;
import io.palisade.pki.tpm.TpmPcr;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The boot verifier with a TPM (Debian's swtpm, checked with tpm2-tools): each image it starts is measured into
 * PCR 9, to the value computed from the signed image alone; and the anti-rollback counter lives in TPM NV memory,
 * so an attacker who rewrites the whole flash, state and counter included, still cannot boot an older image.
 */
class TpmBootIT {

    private static final KeyPair KEYS = keys();

    @TempDir
    Path dir;

    private static KeyPair keys() {
        try {
            return FirmwareKeys.generate(FirmwareKeys.Type.ECDSA_P256);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] image(String version, long counter) throws Exception {
        return ImageSigner.sign(("firmware " + version + " ").repeat(100).getBytes(),
                ImageSigner.softwareKey(KEYS.getPrivate(), KEYS.getPublic()), ImageVersion.parse(version),
                OptionalLong.of(counter), 0x200, 0);
    }

    @Test
    void booted_images_are_measured_and_the_tpm_counter_survives_a_rewritten_flash() throws Exception {
        try (Swtpm swtpm = Swtpm.start(dir)) {
            Tpm2Tools tpm = new Tpm2Tools(swtpm.tcti());
            TpmNvCounter counter = TpmNvCounter.open(tpm, TpmNvCounter.DEFAULT_INDEX);
            assertThat(counter.read()).isZero();
            byte[] v1 = image("1.0.0", 1);
            byte[] v3 = image("3.0.0", 3);

            MemoryFlash flash = new MemoryFlash();
            flash.writeSlot(Slot.A, v1);
            Bootloader bootloader = new Bootloader(new TpmCounterFlash(flash, counter), List.of(KEYS.getPublic()),
                    Optional.empty(), new TpmBootMeasurements(tpm, TpmBootMeasurements.DEFAULT_PCR,
                    dir.resolve("measured-at-reset")));
            Bootloader.BootResult first = bootloader.boot();
            assertThat(counter.read()).isEqualTo(1);
            assertThat(pcr9(swtpm)).as("PCR 9 after booting v1, as computed from the image")
                    .isEqualToIgnoringCase(HexFormat.of().formatHex(TpmPcr.expected(List.of(first.image().digest()))));

            String atPowerOn = pcr9(swtpm);
            bootloader.install(v3, false);
            Bootloader.BootResult second = bootloader.boot();
            assertThat(pcr9(swtpm)).as("measured once per power-up: PCR 9 still says what started at power-on")
                    .isEqualTo(atPowerOn);
            assertThat(second.image().version().toString()).isEqualTo("3.0.0+0");
            assertThat(counter.read()).isEqualTo(3);
            assertThat(swtpm.tool("tpm2_nvread", "0x01500001", "-C", "o", "-s", "8").output())
                    .as("three bits set in the TPM's NV index").endsWith("\u0007");

            // The attacker's flash: v1 alone, a fresh state, its own counter at 0. The TPM's counter decides.
            MemoryFlash rewritten = new MemoryFlash();
            rewritten.writeSlot(Slot.A, v1);
            Bootloader afterAttack = new Bootloader(new TpmCounterFlash(rewritten, counter), List.of(KEYS.getPublic()));
            assertThatThrownBy(afterAttack::boot).isInstanceOf(NoBootableImageException.class)
                    .hasMessageContaining("security counter");
            assertThatThrownBy(() -> counter.raise(65)).hasMessageContaining("0 to 64");
            counter.raise(2);
            assertThat(counter.read()).as("a lower value changes nothing").isEqualTo(3);
        }
    }

    private static String pcr9(Swtpm swtpm) throws Exception {
        String out = swtpm.tool("tpm2_pcrread", "sha256:9").output();
        return out.substring(out.indexOf("0x") + 2, out.indexOf("0x") + 66);
    }
}
