package io.palisade.firmware.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Palisade agrees with MCUboot's imgtool 2.4.0 on every vector of ../shared/vectors/mcuboot (copied to
 * src/test/resources/vectors/mcuboot so that CI has them).
 */
class McubootVectorsTest {

    @TempDir
    Path dir;

    static byte[] vector(String name) throws IOException {
        try (InputStream in = McubootVectorsTest.class.getResourceAsStream("/vectors/mcuboot/" + name)) {
            if (in == null) {
                throw new IOException("missing test vector " + name);
            }
            return in.readAllBytes();
        }
    }

    private Path file(String name) throws IOException {
        Path path = dir.resolve(name);
        Files.write(path, vector(name));
        return path;
    }

    private PublicKey ecdsaKey() throws IOException {
        return FirmwareKeys.readPublic(file("ecdsa-p256-test-pub.pem"));
    }

    private PublicKey edKey() throws IOException {
        return FirmwareKeys.readPublic(file("ed25519-test-pub.pem"));
    }

    @Test
    void the_ecdsa_image_verifies_with_version_and_counter() throws Exception {
        FirmwareImage image = FirmwareImage.parse(vector("ecdsa-p256-v1.2.3+4-cnt7.img"));
        assertThat(image.header().headerSize()).isEqualTo(0x200);
        ImageVerifier.Verified verified = ImageVerifier.verify(image, List.of(ecdsaKey()), 7);
        assertThat(verified.version()).hasToString("1.2.3+4");
        assertThat(verified.securityCounter()).isEqualTo(7);
        assertThat(verified.digestHex()).startsWith("d6fd285acf67fc5d");
        assertThat(verified.signatureType()).isEqualTo("ECDSA_P256");
    }

    @Test
    void a_lower_security_counter_is_refused_as_rollback_although_its_signature_is_good() throws Exception {
        FirmwareImage image = FirmwareImage.parse(vector("ecdsa-p256-v1.2.4-cnt6-lower-counter.img"));
        assertThat(ImageVerifier.verify(image, List.of(ecdsaKey()), 0).securityCounter()).isEqualTo(6);
        assertThatThrownBy(() -> ImageVerifier.verify(image, List.of(ecdsaKey()), 7))
                .hasMessageContaining("rollback refused").hasMessageContaining("6").hasMessageContaining("7");
    }

    @Test
    void the_ed25519_image_verifies() throws Exception {
        ImageVerifier.Verified verified = ImageVerifier.verify(FirmwareImage.parse(vector("ed25519-v2.0.0.img")),
                List.of(edKey()), 0);
        assertThat(verified.version()).hasToString("2.0.0+0");
        assertThat(verified.signatureType()).isEqualTo("ED25519");
    }

    @Test
    void tampered_truncated_and_foreign_key_images_are_refused_with_the_reason() throws Exception {
        assertThatThrownBy(() -> ImageVerifier.verify(FirmwareImage.parse(vector("tampered-payload.img")),
                List.of(ecdsaKey()), 0)).isInstanceOf(ImageFormatException.class).hasMessageContaining("hash mismatch");
        assertThatThrownBy(() -> FirmwareImage.parse(vector("truncated.img")))
                .isInstanceOf(ImageFormatException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> ImageVerifier.verify(FirmwareImage.parse(vector("ecdsa-p256-v1.2.3+4-cnt7.img")),
                List.of(edKey()), 0)).hasMessageContaining("unknown key");
    }

    @Test
    void palisade_signs_ed25519_images_byte_for_byte_like_imgtool() throws Exception {
        KeyPair keys = FirmwareKeys.readPrivate(file("ed25519-test-key.pem"));
        byte[] signed = ImageSigner.sign(vector("payload.bin"), ImageSigner.softwareKey(keys.getPrivate(), keys.getPublic()),
                ImageVersion.parse("2.0.0"), OptionalLong.empty(), 0x20, 0);
        assertThat(signed).isEqualTo(vector("ed25519-v2.0.0.img"));
    }

    @Test
    void palisade_signs_ecdsa_images_like_imgtool_up_to_the_randomized_signature() throws Exception {
        KeyPair keys = FirmwareKeys.readPrivate(file("ecdsa-p256-test-key.pem"));
        byte[] signed = ImageSigner.sign(vector("payload.bin"), ImageSigner.softwareKey(keys.getPrivate(), keys.getPublic()),
                ImageVersion.parse("1.2.3+4"), OptionalLong.of(7), 0x200, 0);
        byte[] reference = vector("ecdsa-p256-v1.2.3+4-cnt7.img");
        FirmwareImage ours = FirmwareImage.parse(signed);
        FirmwareImage theirs = FirmwareImage.parse(reference);
        assertThat(Arrays.copyOf(signed, ours.coveredLength())).isEqualTo(Arrays.copyOf(reference, theirs.coveredLength()));
        assertThat(ours.unprotected(Tlv.SHA256).orElseThrow().value())
                .isEqualTo(theirs.unprotected(Tlv.SHA256).orElseThrow().value());
        assertThat(ours.unprotected(Tlv.KEY_HASH).orElseThrow().value())
                .isEqualTo(theirs.unprotected(Tlv.KEY_HASH).orElseThrow().value());
        assertThat(ImageVerifier.verify(ours, List.of(keys.getPublic()), 7).securityCounter()).isEqualTo(7);
    }
}
