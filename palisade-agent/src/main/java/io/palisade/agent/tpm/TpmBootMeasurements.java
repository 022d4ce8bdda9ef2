package io.palisade.agent.tpm;

import io.palisade.core.AtomicFiles;
import io.palisade.firmware.boot.BootMeasurements;
import io.palisade.firmware.image.ImageVerifier;
import io.palisade.pki.tpm.Tpm2Tools;
import io.palisade.pki.tpm.TpmPcr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Extends a PCR with the digest of the image the boot verifier starts (the digest MCUboot's signature covers, so
 * the expected value follows from the signed image alone) — once per power-up of the TPM: the agent may start its
 * boot verifier again without a reboot (a restart, an update's trial), and a PCR extended twice would match no
 * image. So the PCR says what was started at power-on, as on a device whose boot verifier runs before the OS; an
 * update shows in it after the next reboot. {@code marker} remembers the TPM reset count of the last measurement.
 */
public final class TpmBootMeasurements implements BootMeasurements {

    /** PCR 9: in the range the TCG leaves to the operating system's loader, unused by firmware. */
    public static final int DEFAULT_PCR = 9;

    private final Tpm2Tools tpm;
    private final int pcr;
    private final Path marker;

    public TpmBootMeasurements(Tpm2Tools tpm, int pcr, Path marker) {
        this.tpm = tpm;
        this.pcr = pcr;
        this.marker = marker;
    }

    @Override
    public void measure(ImageVerifier.Verified image) throws IOException {
        String reset = Long.toString(TpmPcr.resetCount(tpm));
        if (Files.exists(marker) && Files.readString(marker, StandardCharsets.US_ASCII).strip().equals(reset)) {
            return; // measured since this power-up already
        }
        TpmPcr.extend(tpm, pcr, image.digest());
        AtomicFiles.write(marker, reset.getBytes(StandardCharsets.US_ASCII), false);
    }
}
