package io.palisade.firmware.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.firmware.boot.Bootloader;
import io.palisade.firmware.boot.MemoryFlash;
import io.palisade.firmware.boot.Slot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ECIES-P256 encrypted images, checked against an image made by MCUboot's imgtool (vectors/mcuboot-encrypted). */
class EncryptedImagesTest {

    @TempDir
    Path dir;

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = EncryptedImagesTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing test vector " + path);
            }
            return in.readAllBytes();
        }
    }

    private Path file(String path) throws IOException {
        Path file = dir.resolve(Path.of(path).getFileName().toString());
        Files.write(file, resource(path));
        return file;
    }

    @Test
    void imgtools_encrypted_image_decrypts_to_the_payload_and_then_verifies() throws Exception {
        FirmwareImage image = FirmwareImage.parse(resource("/vectors/mcuboot-encrypted/ecdsa-p256-v1.3.0-cnt8-encrypted.img"));
        assertThat(ImageEncryption.isEncrypted(image.header())).isTrue();
        var signingKey = FirmwareKeys.readPublic(file("/vectors/mcuboot/ecdsa-p256-test-pub.pem"));
        assertThatThrownBy(() -> ImageVerifier.verify(image, List.of(signingKey), 0))
                .hasMessageContaining("the image is encrypted");

        KeyPair deviceKey = FirmwareKeys.readPrivate(file("/vectors/mcuboot-encrypted/enc-p256-key.pem"));
        byte[] plain = ImageEncryption.decrypt(image, deviceKey.getPrivate());
        FirmwareImage decrypted = FirmwareImage.parse(plain);
        ImageVerifier.Verified verified = ImageVerifier.verify(decrypted, List.of(signingKey), 8);
        assertThat(verified.version()).hasToString("1.3.0+0");
        assertThat(verified.securityCounter()).isEqualTo(8);
        assertThat(Arrays.copyOfRange(plain, 0x200, 0x200 + 65536)).isEqualTo(resource("/vectors/mcuboot/payload.bin"));
    }

    @Test
    void an_image_for_another_devices_key_is_refused_with_the_reason() throws Exception {
        FirmwareImage image = FirmwareImage.parse(resource("/vectors/mcuboot-encrypted/ecdsa-p256-v1.3.0-cnt8-encrypted.img"));
        KeyPair otherDevice = FirmwareKeys.generate(FirmwareKeys.Type.ECDSA_P256);
        assertThatThrownBy(() -> ImageEncryption.decrypt(image, otherDevice.getPrivate()))
                .hasMessageContaining("another device's key");
    }

    @Test
    void palisade_encrypts_as_imgtool_does_and_the_boot_verifier_installs_it_in_plaintext() throws Exception {
        KeyPair signing = FirmwareKeys.generate(FirmwareKeys.Type.ECDSA_P256);
        KeyPair device = FirmwareKeys.generate(FirmwareKeys.Type.ECDSA_P256);
        byte[] payload = "secret sauce".repeat(500).getBytes();
        byte[] encrypted = ImageSigner.sign(payload, ImageSigner.softwareKey(signing.getPrivate(), signing.getPublic()),
                ImageVersion.parse("2.0.0"), OptionalLong.of(2), 0x200, 0, Optional.of(device.getPublic()));
        FirmwareImage parsed = FirmwareImage.parse(encrypted);
        assertThat(parsed.header().flags() & ImageEncryption.FLAG_ENCRYPTED_AES128).isNotZero();
        assertThat(parsed.unprotected(Tlv.ENC_EC256).orElseThrow().value()).hasSize(113);
        assertThat(new String(encrypted)).doesNotContain("secret sauce");

        MemoryFlash flash = new MemoryFlash();
        flash.writeSlot(Slot.A, ImageSigner.sign("one".getBytes(), ImageSigner.softwareKey(signing.getPrivate(),
                signing.getPublic()), ImageVersion.parse("1.0.0"), OptionalLong.of(1), 0x200, 0));
        assertThatThrownBy(() -> new Bootloader(flash, List.of(signing.getPublic())).install(encrypted, false))
                .hasMessageContaining("no encryption key");
        Bootloader bootloader = new Bootloader(flash, List.of(signing.getPublic()), Optional.of(device.getPrivate()));
        bootloader.install(encrypted, false);
        assertThat(bootloader.boot().image().version()).hasToString("2.0.0+0");
        assertThat(new String(flash.readSlot(Slot.B).orElseThrow())).contains("secret sauce");
    }
}
