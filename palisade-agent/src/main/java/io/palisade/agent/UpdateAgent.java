package io.palisade.agent;

import io.palisade.core.rollout.MemberState;
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
 * and revert. Every step is reported: downloading, staged, then installed once the new image confirmed
 * itself (the control plane records {@code firmware.installed}), or failed with the reason
 * ({@code firmware.rejected}). The device keeps running its current image on
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
        reporter.report(MemberState.DOWNLOADING, target, "fetching update metadata and image");
        try {
            tuf.refresh();
            image = tuf.download(target);
        } catch (TufException e) {
            reporter.report(MemberState.FAILED, target, "update metadata or image refused: " + e.getMessage());
            return null;
        }
        try {
            ImageVerifier.Verified staged = bootloader.install(image, true);
            reporter.report(MemberState.STAGED, target, "version " + staged.version()
                    + " verified and staged for a trial boot");
            return staged;
        } catch (ImageFormatException e) {
            reporter.report(MemberState.FAILED, target, "image refused by the boot verifier: " + e.getMessage());
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
            reporter.report(MemberState.FAILED, target, "the new image did not start: " + boot.notes());
            return false;
        }
        if (!selfCheck.getAsBoolean()) {
            reporter.report(MemberState.FAILED, target, "version " + boot.image().version()
                    + " failed its self-check; the next boot reverts to the previous image");
            return false;
        }
        bootloader.confirm();
        reporter.report(MemberState.INSTALLED, target, "version " + boot.image().version()
                + " installed and confirmed (security counter " + boot.image().securityCounter() + ")");
        return true;
    }

    /**
     * Reflash (a signed command for a quarantined device): fetch {@code target} through TUF, install it
     * permanently through the boot verifier and reboot into it. Returns what now runs; throws with the
     * reason when the image is refused, and the device keeps its current image.
     */
    public ImageVerifier.Verified reflash(String target) throws IOException, TufException, ImageFormatException,
            NoBootableImageException {
        tuf.refresh();
        byte[] image = tuf.download(target);
        bootloader.install(image, false);
        return bootloader.boot().image();
    }

    /**
     * Fetches a key rotation statement published as repository {@code target} and hands it to the boot
     * verifier, which accepts it only if a key it trusts now signed it (see {@code KeyRotation}).
     */
    public java.security.PublicKey admitKey(String target) throws IOException, TufException, ImageFormatException {
        tuf.refresh();
        return bootloader.admitKey(tuf.download(target));
    }
}
