package io.palisade.agent;

import io.palisade.agent.tpm.TpmBootMeasurements;
import io.palisade.agent.tpm.TpmCounterFlash;
import io.palisade.firmware.boot.BootMeasurements;
import io.palisade.firmware.boot.Bootloader;
import io.palisade.firmware.boot.FileFlash;
import io.palisade.firmware.boot.Flash;
import io.palisade.firmware.boot.NoBootableImageException;
import io.palisade.firmware.boot.Slot;
import io.palisade.firmware.image.ImageVerifier;
import io.palisade.firmware.tuf.HttpRepository;
import io.palisade.firmware.tuf.TufClient;
import io.palisade.firmware.tuf.TufException;
import io.palisade.pki.TlsContexts;
import io.palisade.pki.est.DeviceCredentials;
import io.palisade.pki.tpm.Tpm2Tools;
import io.palisade.pki.tpm.TpmNvCounter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The firmware side of {@code palisade agent run}: the application bundle in two slots ({@link FileFlash}),
 * verified by the boot verifier before the application starts, updated through TUF from the Palisade server with
 * trial boot, health check and confirm or revert ({@link UpdateOffers}, the same code the simulator runs). On a
 * device with a TPM the security counter lives in TPM NV memory and every image started is measured into PCR 9.
 */
public final class DeviceFirmware {

    /**
     * @param keys         pinned firmware keys
     * @param factoryImage written to slot A on the first start, when the slots are empty
     * @param tufRoot      the repository's root metadata the device was provisioned with
     * @param healthCheck  shell command run after a trial boot; exit 0 confirms the new image (blank: always)
     */
    public record Options(Path dir, List<PublicKey> keys, Optional<Path> factoryImage, Path tufRoot, URI server,
                          String healthCheck) {
    }

    private static final System.Logger LOG = System.getLogger(DeviceFirmware.class.getName());

    private final Bootloader bootloader;
    private final TufClient tuf;
    private final String healthCheck;
    private final boolean tpmBacked;
    private ImageVerifier.Verified running;

    private DeviceFirmware(Bootloader bootloader, TufClient tuf, String healthCheck, boolean tpmBacked) {
        this.bootloader = bootloader;
        this.tuf = tuf;
        this.healthCheck = healthCheck;
        this.tpmBacked = tpmBacked;
    }

    /** Opens the slots (writing the factory image on a first start) and boots: verifies and measures what runs. */
    public static DeviceFirmware start(Options options, Path credentials, DeviceCredentials identity, Clock clock)
            throws IOException {
        Flash flash = new FileFlash(options.dir());
        BootMeasurements measurements = BootMeasurements.NONE;
        boolean tpmBacked = Files.exists(DeviceCredentials.tpmKeyFile(credentials));
        if (tpmBacked) {
            Tpm2Tools tpm = DeviceCredentials.tpmKey(credentials).tpm();
            flash = new TpmCounterFlash(flash, TpmNvCounter.open(tpm, TpmNvCounter.DEFAULT_INDEX));
            measurements = new TpmBootMeasurements(tpm, TpmBootMeasurements.DEFAULT_PCR,
                    options.dir().resolve("measured-at-reset"));
        }
        if (flash.readSlot(Slot.A).isEmpty() && flash.readSlot(Slot.B).isEmpty()) {
            if (options.factoryImage().isEmpty()) {
                throw new IOException("no firmware in " + options.dir() + ": give the first image with --factory-image");
            }
            flash.writeSlot(Slot.A, Files.readAllBytes(options.factoryImage().get()));
        }
        HttpClient http = HttpClient.newBuilder()
                .sslContext(TlsContexts.client(identity.caCertificates(), Optional.empty()))
                .sslParameters(TlsContexts.clientParameters()).connectTimeout(Duration.ofSeconds(30)).build();
        TufClient tuf;
        try {
            tuf = new TufClient(new HttpRepository(options.server().resolve("/tuf/"), http),
                    Files.readAllBytes(options.tufRoot()), TufClient.TrustedState.NONE, clock);
        } catch (TufException e) {
            throw new IOException("the repository root " + options.tufRoot() + " is not usable: " + e.getMessage(), e);
        }
        DeviceFirmware firmware = new DeviceFirmware(new Bootloader(flash, options.keys(), Optional.empty(),
                measurements), tuf, options.healthCheck(), tpmBacked);
        firmware.boot();
        return firmware;
    }

    private synchronized void boot() throws IOException {
        try {
            Bootloader.BootResult result = bootloader.boot();
            running = result.image();
            result.notes().forEach(note -> LOG.log(System.Logger.Level.WARNING, "boot verifier: " + note));
        } catch (NoBootableImageException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** What runs, for the start-up banner. */
    public synchronized String describe() {
        return "firmware " + running.version() + " (security counter " + running.securityCounter()
                + (tpmBacked ? ", held by the TPM; measured into PCR " + TpmBootMeasurements.DEFAULT_PCR
                + " at power-on" : "") + ")";
    }

    /** The handler of update offers, reporting through {@code reporters}. */
    public UpdateOffers offers(Function<String, UpdateReporter> reporters) {
        return new UpdateOffers(tuf, bootloader, reporters, this::healthy);
    }

    /** A signed reflash: installs {@code target} permanently and boots it. */
    public synchronized String reflash(String target, UpdateReporter reporter) throws Exception {
        running = new UpdateAgent(tuf, bootloader, reporter).reflash(target);
        return "running " + running.version() + " from " + target;
    }

    /** After an update attempt: boots again, so {@link #describe} says what runs now. */
    public void rebooted() throws IOException {
        boot();
    }

    private boolean healthy() {
        if (healthCheck.isBlank()) {
            return true;
        }
        try {
            return ShellCommand.run(healthCheck, Duration.ofMinutes(2)) == 0;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "the health check failed to run: " + e.getMessage());
            return false;
        }
    }
}
