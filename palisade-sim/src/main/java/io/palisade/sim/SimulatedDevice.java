package io.palisade.sim;

import io.palisade.agent.CommandHandler;
import io.palisade.agent.DeviceDataStore;
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
import io.palisade.pki.command.ReplayGuard;
import io.palisade.pki.est.DeviceCredentials;
import java.io.IOException;

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
    private io.palisade.agent.UpdateOffers offers;
    private final DeviceDataStore data;
    private volatile ImageVersion running;
    private volatile boolean wiped;
    private FleetClient fleet;
    private java.nio.file.Path home;
    private io.palisade.agent.fim.IntegrityMonitor integrity;

    private SimulatedDevice(DeviceId id, MemoryFlash flash, Bootloader bootloader, TufClient tuf, Behaviour behaviour,
                            ImageVersion running, DeviceDataStore data) {
        this.id = id;
        this.data = data;
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
        SimulatedDevice device = new SimulatedDevice(id, flash, bootloader, tuf, behaviour, running,
                new DeviceDataStore(config.dataRoot().resolve(id.value())));
        device.home = config.dataRoot().resolve(id.value());
        device.data.put("readings", ("readings of " + id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        device.data.put("wifi-psk", ("secret of " + id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        CommandHandler commands = new CommandHandler(id, config.commandKey(), new ReplayGuard(), config.clock(),
                device.new Actions(), device::commandResult);
        device.fleet = FleetClient.connect(config.gatewayHost(), config.mqttPort(), credentials, device::onOffer,
                commands::handle);
        return device;
    }

    /** Runs on the fleet client's worker thread, one offer at a time (the agent's own offer handling). */
    void onOffer(UpdateOffer offer) {
        if (offers == null) {
            offers = new io.palisade.agent.UpdateOffers(tuf, bootloader, fleet::reporter,
                    () -> behaviour == Behaviour.HEALTHY);
        }
        offers.take(offer);
        try {
            running = bootloader.boot().image().version();
        } catch (IOException | NoBootableImageException e) {
            LOG.log(System.Logger.Level.WARNING, id + " cannot tell what it runs after an update: " + e);
        }
    }

    /** What the device does for the signed commands its {@link CommandHandler} accepted. */
    private final class Actions implements CommandHandler.Actions {
        @Override
        public String wipe() throws IOException {
            int erased = data.cryptoErase();
            wiped = true; // its private key goes with it: the simulator drops the connection after reporting
            return "data key destroyed, " + erased + " records overwritten and deleted, device key erased";
        }

        @Override
        public String reflash(String target) throws Exception {
            running = new UpdateAgent(tuf, bootloader, fleet.reporter("")).reflash(target).version();
            return "running " + running + " from " + target;
        }
    }

    private void commandResult(String nonce, String command, boolean done, String message) {
        fleet.commandResult(nonce, command, done, message);
        if (wiped) {
            Thread closer = new Thread(fleet::close, "palisade-sim-wiped-" + id.value());
            closer.start();
        }
    }

    /** Whether a wipe erased this device (it has no key left and is offline until enrolled again). */
    public boolean wiped() {
        return wiped;
    }

    /** Reads a record of the device's data store; empty once wiped. */
    public java.util.Optional<byte[]> record(String name) throws IOException {
        return data.get(name);
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

    /**
     * Installs the device's application files ({@code app/} under its folder), signs a baseline of them
     * with a key of its own and watches them, reporting every change to the control plane as the agent
     * does ({@code file.modified}). Opt-in per device: each monitor holds an inotify instance, and the
     * kernel allows 128 per user by default. Returns the watched directory.
     */
    public synchronized java.nio.file.Path watchApplicationFiles() throws Exception {
        java.nio.file.Path app = home.resolve("app");
        java.nio.file.Files.createDirectories(app);
        java.nio.file.Files.writeString(app.resolve("app.conf"), "interval=60\n");
        java.nio.file.Files.writeString(app.resolve("agent.sh"), "#!/bin/sh\nexec sensor-agent\n");
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair key = generator.generateKeyPair();
        byte[] signed = new io.palisade.agent.fim.Baseline(app.toString(), java.time.Instant.now(),
                io.palisade.agent.fim.FileScanner.scan(app)).sign(key.getPrivate());
        integrity = new io.palisade.agent.fim.IntegrityMonitor(app,
                io.palisade.agent.fim.Baseline.verify(signed, key.getPublic()), java.time.Duration.ofMinutes(10),
                change -> fleet.integrity(change, "reported"));
        return app;
    }

    @Override
    public void close() {
        if (integrity != null) {
            try {
                integrity.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, id + " closing its integrity monitor: " + e.getMessage());
            }
        }
        if (fleet != null) {
            fleet.close();
        }
    }
}
