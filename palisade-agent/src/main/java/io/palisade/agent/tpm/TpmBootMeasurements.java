package io.palisade.agent.tpm;

import io.palisade.firmware.boot.BootMeasurements;
import io.palisade.firmware.image.ImageVerifier;
import io.palisade.pki.tpm.Tpm2Tools;
import io.palisade.pki.tpm.TpmPcr;
import java.io.IOException;

/**
 * Extends a PCR with the digest of each image the boot verifier starts: the image digest MCUboot's signature
 * covers (header and body), so the expected value follows from the signed image alone.
 */
public final class TpmBootMeasurements implements BootMeasurements {

    /** PCR 9: in the range the TCG leaves to the operating system's loader, unused by firmware. */
    public static final int DEFAULT_PCR = 9;

    private final Tpm2Tools tpm;
    private final int pcr;

    public TpmBootMeasurements(Tpm2Tools tpm, int pcr) {
        this.tpm = tpm;
        this.pcr = pcr;
    }

    @Override
    public void measure(ImageVerifier.Verified image) throws IOException {
        TpmPcr.extend(tpm, pcr, image.digest());
    }
}
