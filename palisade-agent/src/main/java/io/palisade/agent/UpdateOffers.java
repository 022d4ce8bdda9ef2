package io.palisade.agent;

import io.palisade.core.rollout.MemberState;
import io.palisade.firmware.boot.Bootloader;
import io.palisade.firmware.boot.NoBootableImageException;
import io.palisade.firmware.tuf.TufClient;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * What a device does with an update offer, the same in the simulator and in {@code palisade agent run}: once per
 * offer (a retained offer comes again after every reconnect), stage the target through TUF and the boot verifier,
 * "reboot" into the trial image, let the new software check itself, then confirm it or let the next boot revert.
 */
public final class UpdateOffers {

    private static final System.Logger LOG = System.getLogger(UpdateOffers.class.getName());

    private final TufClient tuf;
    private final Bootloader bootloader;
    private final Function<String, UpdateReporter> reporters;
    private final BooleanSupplier selfCheck;
    private final Set<String> handled = new HashSet<>();

    /** @param reporters the reporter of a roll-out (by its id) */
    public UpdateOffers(TufClient tuf, Bootloader bootloader, Function<String, UpdateReporter> reporters,
                        BooleanSupplier selfCheck) {
        this.tuf = tuf;
        this.bootloader = bootloader;
        this.reporters = reporters;
        this.selfCheck = selfCheck;
    }

    /** Runs on one thread, one offer at a time; answers whether the offered image now runs confirmed. */
    public synchronized boolean take(UpdateOffer offer) {
        if (!handled.add(offer.rollout() + " " + offer.target())) {
            return false;
        }
        UpdateReporter reporter = reporters.apply(offer.rollout());
        UpdateAgent agent = new UpdateAgent(tuf, bootloader, reporter);
        try {
            if (agent.stage(offer.target()) == null) {
                return false;
            }
            boolean confirmed = agent.confirmAfterReboot(offer.target(), selfCheck);
            if (!confirmed) {
                bootloader.boot(); // the next reboot reverts to the previous image
            }
            return confirmed;
        } catch (IOException | NoBootableImageException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "update to " + offer.target() + " failed unexpectedly: " + e);
            reporter.report(MemberState.FAILED, offer.target(), "device error: " + e.getMessage());
            return false;
        }
    }
}
