package io.palisade.firmware.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/** Fuzz target for the image parser and verifier: only {@link ImageFormatException} may come out. */
class ImageParserFuzzTest {

    private static final List<java.security.PublicKey> KEYS = keys();

    private static List<java.security.PublicKey> keys() {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("fuzz-pub", ".pem");
            java.nio.file.Files.write(file, McubootVectorsTest.vector("ecdsa-p256-test-pub.pem"));
            return List.of(FirmwareKeys.readPublic(file));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void parse_and_verify_fail_only_with_a_reason(byte[] image) {
        try {
            ImageVerifier.verify(FirmwareImage.parse(image), KEYS, 0);
        } catch (ImageFormatException expected) {
            // The correct outcome for a bad image.
        }
    }
}
