package io.palisade.agent;

import io.palisade.core.event.EventType;
import io.palisade.firmware.boot.Bootloader;
import io.palisade.firmware.boot.NoBootableImageException;
import io.palisade.firmware.image.ImageFormatException;
import io.palisade.firmware.image.ImageVerifier;
import io.palisade.firmware.tuf.TufClient;
import io.palisade.firmware.tuf.TufException;
import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * Runs one firmware update on a device: TUF refresh and verified download, then a test install into
 * the inactive slot through the boot verifier; after the reboot, a self-check decides between confirm
 * and revert. Every outcome is reported: {@code firmware.installed} once the new image confirmed itself,
 * {@code firmware.rejected} with the reason otherwise. The device keeps running its current image on
 * every failure.
 */
public final class UpdateAgent {

    private final TufClient tuf;
    private final Bootloader bootloader;
    private final UpdateReporter reporter;

    public UpdateAgent(TufClient tuf, Bootloader bootloader, UpdateReporter reporter) {
        this.tuf = tuf;
        this.bootloader = bootloader;
        this.reporter = reporter;
    }

    /**
     * Fetches and stages {@code target} for a trial boot. Returns the staged image, or null when the update
     * was rejected (and reported).
     */
    public ImageVerifier.Verified stage(String target) throws IOException {
        byte[] image;
        try {
            tuf.refresh();
            image = tuf.download(target);
        } catch (TufException e) {
            reporter.report(EventType.FIRMWARE_REJECTED, target, "update metadata or image refused: " + e.getMessage());
            return null;
        }
        try {
            ImageVerifier.Verified staged = bootloader.install(image, true);
            return staged;
        } catch (ImageFormatException e) {
            reporter.report(EventType.FIRMWARE_REJECTED, target, "image refused by the boot verifier: " + e.getMessage());
            return null;
        }
    }

    /**
     * After the reboot into the trial image: confirms it when {@code selfCheck} passes, otherwise leaves it
     * unconfirmed so that the next boot reverts, and reports either way.
     */
    public boolean confirmAfterReboot(String target, BooleanSupplier selfCheck)
            throws IOException, NoBootableImageException {
        Bootloader.BootResult boot = bootloader.boot();
        if (!boot.trial()) {
            reporter.report(EventType.FIRMWARE_REJECTED, target, "the new image did not start: " + boot.notes());
            return false;
        }
        if (!selfCheck.getAsBoolean()) {
            reporter.report(EventType.FIRMWARE_REJECTED, target, "version " + boot.image().version()
                    + " failed its self-check; the next boot reverts to the previous image");
            return false;
        }
        bootloader.confirm();
        reporter.report(EventType.FIRMWARE_INSTALLED, target, "version " + boot.image().version()
                + " installed and confirmed (security counter " + boot.image().securityCounter() + ")");
        return true;
    }
}
