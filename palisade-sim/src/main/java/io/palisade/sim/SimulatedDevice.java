package io.palisade.sim;

import io.palisade.agent.FleetClient;
import io.palisade.agent.UpdateAgent;
import io.palisade.agent.UpdateOffer;
import io.palisade.core.device.DeviceId;
import io.palisade.firmware.boot.Bootloader;
import io.palisade.firmware.boot.MemoryFlash;
import io.palisade.firmware.boot.NoBootableImageException;
import io.palisade.firmware.boot.Slot;
import io.palisade.firmware.image.ImageVersion;
import io.palisade.firmware.tuf.HttpRepository;
import io.palisade.firmware.tuf.TufClient;
import io.palisade.firmware.tuf.TufException;
import io.palisade.pki.est.DeviceCredentials;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * One simulated device: flash with two slots and a security counter, the boot verifier pinning the
 * firmware keys, the TUF client, and the fleet client. An update offer runs the whole device-side
 * path: TUF refresh and download, verified test install, "reboot" into the trial image, self-check,
 * confirm or revert, with each step reported to the control plane.
 */
public final class SimulatedDevice implements AutoCloseable {

    /** How the device's new firmware fares in its self-check after the trial boot. */
    public enum Behaviour { HEALTHY, FAILS_SELF_CHECK }

    private static final System.Logger LOG = System.getLogger(SimulatedDevice.class.getName());

    private final DeviceId id;
    private final MemoryFlash flash;
    private final Bootloader bootloader;
    private final TufClient tuf;
    private final Behaviour behaviour;
    private final Set<String> handledOffers = new HashSet<>();
    private volatile ImageVersion running;
    private FleetClient fleet;

    private SimulatedDevice(DeviceId id, MemoryFlash flash, Bootloader bootloader, TufClient tuf, Behaviour behaviour,
                            ImageVersion running) {
        this.id = id;
        this.flash = flash;
        this.bootloader = bootloader;
        this.tuf = tuf;
        this.behaviour = behaviour;
        this.running = running;
    }

    /** Boots {@code factoryImage} from slot A and connects to the gateway. */
    public static SimulatedDevice start(SimulationConfig config, DeviceId id, DeviceCredentials credentials,
                                        byte[] factoryImage, Behaviour behaviour) throws Exception {
        MemoryFlash flash = new MemoryFlash();
        flash.writeSlot(Slot.A, factoryImage);
        Bootloader bootloader = new Bootloader(flash, config.firmwareKeys());
        ImageVersion running = bootloader.boot().image().version();
        TufClient tuf = new TufClient(new HttpRepository(config.tufBase(), config.http()), config.trustedRoot(),
                TufClient.TrustedState.NONE, config.clock());
        SimulatedDevice device = new SimulatedDevice(id, flash, bootloader, tuf, behaviour, running);
        device.fleet = FleetClient.connect(config.gatewayHost(), config.mqttPort(), credentials, device::onOffer,
                payload -> LOG.log(System.Logger.Level.INFO, id + " ignores a command: the simulator handles updates"));
        return device;
    }

    /** Runs on the fleet client's worker thread, one offer at a time. */
    void onOffer(UpdateOffer offer) {
        // A retained offer comes again after a reconnect; one attempt per offer is what a real device makes.
        if (!handledOffers.add(offer.rollout() + " " + offer.target())) {
            return;
        }
        UpdateAgent agent = new UpdateAgent(tuf, bootloader, fleet.reporter(offer.rollout()));
        try {
            if (agent.stage(offer.target()) == null) {
                return;
            }
            // The reboot: the boot verifier starts the trial image, the new firmware checks itself.
            boolean confirmed = agent.confirmAfterReboot(offer.target(), () -> behaviour == Behaviour.HEALTHY);
            if (!confirmed) {
                bootloader.boot(); // the next reboot reverts to the previous image
            }
            running = bootloader.boot().image().version();
        } catch (IOException | NoBootableImageException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, id + " update failed unexpectedly: " + e);
            fleet.reporter(offer.rollout()).report(io.palisade.core.rollout.MemberState.FAILED, offer.target(),
                    "device error: " + e.getMessage());
        }
    }

    public DeviceId id() {
        return id;
    }

    public Behaviour behaviour() {
        return behaviour;
    }

    /** The version the device runs now. */
    public ImageVersion runningVersion() {
        return running;
    }

    public long securityCounter() {
        return flash.securityCounter();
    }

    /** For a test that wants to see the TUF client's view. */
    TufClient tuf() throws TufException {
        return tuf;
    }

    @Override
    public void close() {
        if (fleet != null) {
            fleet.close();
        }
    }
}
