package io.palisade.firmware.boot;

import io.palisade.firmware.image.ImageVerifier;
import java.io.IOException;

/**
 * Measured boot: what the boot verifier records of the image it is about to start, before starting it (on a
 * device with a TPM, an extend of a PCR with the image's digest), so a verifier elsewhere can tell later which image
 * runs. Measuring comes after verifying: an image that fails verification never runs and is never measured.
 */
@FunctionalInterface
public interface BootMeasurements {

    BootMeasurements NONE = image -> { };

    void measure(ImageVerifier.Verified image) throws IOException;
}
