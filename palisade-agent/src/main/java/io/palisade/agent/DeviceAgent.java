package io.palisade.agent;

import io.palisade.agent.firewall.EmbeddedFirewall;
import io.palisade.agent.firewall.FirewallPolicy;
import io.palisade.agent.linux.ProcessHardening;
import io.palisade.agent.tamper.TamperMonitor;
import io.palisade.agent.tamper.TamperReporter;
import io.palisade.agent.tamper.TamperSource;
import io.palisade.core.device.DeviceId;
import io.palisade.core.tamper.TamperReport;
import io.palisade.pki.DeviceIdentity;
import io.palisade.pki.Pem;
import io.palisade.pki.command.ReplayGuard;
import io.palisade.pki.est.DeviceCredentials;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * The agent a Linux device or gateway runs ({@code palisade agent run}): its management connection to the
 * gateway (reconnecting on its own), signed commands (wipe, lock, unlock, reflash), firmware updates with the
 * boot verifier ({@link DeviceFirmware}, with {@code --firmware}), tamper sensors with signed reports, the
 * embedded firewall, TPM attestation, the lock, and the encrypted data store. Everything lives in the enrollment directory ({@code palisade device enroll --out DIR}):
 * {@code key.pem}, {@code cert.pem}, {@code ca.pem}, {@code command-key.pem}, and the agent's own
 * {@code store/}, {@code tamper/} and {@code locked}.
 */
public final class DeviceAgent implements AutoCloseable {

    /** What the device does by itself when a sensor fires, before (and without) any word from the control plane. */
    public enum LocalTamperResponse {
        /** Report only; the control plane decides. */
        NONE,
        /** Lock at once (stop the application), then report. */
        LOCK,
        /** Report if the gateway is reachable, then erase the store and the device key: the device is dead until re-enrolled. */
        ZEROISE;

        public static LocalTamperResponse fromWireName(String name) {
            for (LocalTamperResponse response : values()) {
                if (response.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return response;
                }
            }
            throw new IllegalArgumentException("unknown local tamper response '" + name + "' (none, lock, zeroise)");
        }
    }

    /**
     * File integrity: {@code baseline}, signed with {@code key} ({@code palisade fim baseline}), watched under its
     * root with inotify and a full scan every {@code fullScan}; each change is reported ({@code file.modified}).
     */
    public record FileIntegrity(Path baseline, java.security.PublicKey key, Duration fullScan) {
    }

    /**
     * @param stopCommand  shell command that stops the application (for a lock); blank for none
     * @param startCommand shell command that starts it again (for an unlock); blank for none
     */
    public record Options(Path data, String gatewayHost, int mqttPort, List<TamperSource> tamperSources,
                          LocalTamperResponse onTamper, String stopCommand, String startCommand,
                          Optional<FirewallPolicy> firewall, Optional<DeviceFirmware.Options> firmware,
                          Optional<FileIntegrity> integrity, Clock clock) {
        public Options {
            Objects.requireNonNull(firewall, "firewall");
            Objects.requireNonNull(firmware, "firmware");
            Objects.requireNonNull(integrity, "integrity");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(gatewayHost, "gatewayHost");
            tamperSources = List.copyOf(tamperSources);
            Objects.requireNonNull(onTamper, "onTamper");
            Objects.requireNonNull(clock, "clock");
        }
    }

    public static final String COMMAND_KEY_FILE = "command-key.pem";
    private static final System.Logger LOG = System.getLogger(DeviceAgent.class.getName());
    private static final Duration RECONNECT = Duration.ofSeconds(5);
    /** How often blocked traffic is reported (when there was any). */
    public static final Duration FIREWALL_WINDOW = Duration.ofSeconds(10);

    private final Options options;
    private final DeviceId device;
    private final DeviceCredentials credentials;
    private final DeviceDataStore store;
    private final AgentLock lock;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final ProcessHardening.Result hardening;
    private volatile FleetClient fleet;
    private volatile boolean wiped;
    private volatile boolean closed;
    private TamperMonitor tamper;
    private EmbeddedFirewall firewall;
    private Attestor attestor;
    private DeviceFirmware firmware;
    private io.palisade.agent.fim.IntegrityMonitor integrity;
    private UpdateOffers offers;
    private Thread connector;

    private DeviceAgent(Options options, DeviceCredentials credentials, ProcessHardening.Result hardening)
            throws IOException {
        this.options = options;
        this.credentials = credentials;
        this.hardening = hardening;
        this.device = DeviceIdentity.of(credentials.certificate()).orElseThrow(() ->
                new IOException("the certificate in " + options.data() + " names no Palisade device"));
        this.store = new DeviceDataStore(options.data().resolve("store"));
        this.lock = new AgentLock(options.data().resolve("locked"), options.stopCommand(), options.startCommand());
    }

    /** Hardens the process, reads the credentials, starts the tamper sensors and connects (retrying in the background). */
    public static DeviceAgent start(Options options) throws IOException {
        ProcessHardening.Result hardening = ProcessHardening.apply();
        if (!Files.exists(DeviceCredentials.keyFile(options.data()))
                && !Files.exists(DeviceCredentials.tpmKeyFile(options.data()))) {
            throw new IOException("no device key in " + options.data() + ": enroll first (palisade device enroll ID"
                    + " --token TOKEN --out " + options.data() + ")");
        }
        DeviceCredentials credentials = DeviceCredentials.read(options.data());
        Path commandKeyFile = options.data().resolve(COMMAND_KEY_FILE);
        if (!Files.exists(commandKeyFile)) {
            throw new IOException("no " + COMMAND_KEY_FILE + " in " + options.data() + " (the server's command key,"
                    + " written by palisade device enroll): enroll again, or copy it from the server's /pki/command-key.pem");
        }
        PublicKey commandKey = Pem.readPublicKey(commandKeyFile);
        DeviceAgent agent = new DeviceAgent(options, credentials, hardening);
        agent.lock.enforce();
        agent.attestor = DeviceCredentials.attestationKey(options.data()).map(Attestor::new).orElse(null);
        if (options.firmware().isPresent()) {
            agent.firmware = DeviceFirmware.start(options.firmware().get(), options.data(), credentials, options.clock());
            agent.offers = agent.firmware.offers(rollout -> agent.reporter(rollout));
        }
        agent.tamper = new TamperMonitor(options.tamperSources(), new TamperReporter(options.data().resolve("tamper"),
                agent.device, credentials.key(), credentials.certificate(), options.clock(), agent::deliver),
                agent::respondLocally);
        agent.tamper.start();
        if (options.integrity().isPresent()) {
            FileIntegrity watch = options.integrity().get();
            io.palisade.agent.fim.Baseline baseline = io.palisade.agent.fim.Baseline.verify(
                    Files.readAllBytes(watch.baseline()), watch.key());
            agent.integrity = new io.palisade.agent.fim.IntegrityMonitor(Path.of(baseline.root()), baseline,
                    watch.fullScan(), change -> {
                        FleetClient connected = agent.fleet;
                        if (connected != null) {
                            connected.integrity(change, "reported");
                        } else {
                            LOG.log(System.Logger.Level.WARNING, "file change not reported (offline): " + change);
                        }
                    });
            LOG.log(System.Logger.Level.INFO, "watching " + baseline.files().size() + " files under " + baseline.root());
        }
        if (options.firewall().isPresent()) {
            // Before the first connection: the device is never reachable without its rules.
            agent.firewall = new EmbeddedFirewall(options.firewall().get(), FIREWALL_WINDOW, options.clock(),
                    report -> agent.reportBlocked(report.toString()));
            agent.firewall.start();
            LOG.log(System.Logger.Level.INFO, agent.firewall.describe());
        }
        CommandHandler commands = new CommandHandler(agent.device, commandKey, new ReplayGuard(), options.clock(),
                agent.new Actions(), agent::commandResult);
        agent.connector = new Thread(() -> agent.connect(commands), "palisade-agent-connect");
        agent.connector.setDaemon(true);
        agent.connector.start();
        return agent;
    }

    private void connect(CommandHandler commands) {
        while (!closed && fleet == null) {
            try {
                fleet = FleetClient.connect(options.gatewayHost(), options.mqttPort(), credentials, this::onOffer,
                        commands::handle,
                        attestor == null ? null : (client, challenge) -> attestor.answer(challenge, client));
                LOG.log(System.Logger.Level.INFO, device + " connected to its gateway " + options.gatewayHost() + ":"
                        + options.mqttPort());
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, device + " cannot reach its gateway " + options.gatewayHost() + ":"
                        + options.mqttPort() + " (" + e.getMessage() + "); retrying in " + RECONNECT.toSeconds() + " s");
                try {
                    Thread.sleep(RECONNECT.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void onOffer(UpdateOffer offer) {
        if (offers == null) {
            LOG.log(System.Logger.Level.WARNING, "ignored update offer " + offer.target()
                    + ": this agent was started without --firmware");
            return;
        }
        if (lock.locked()) {
            LOG.log(System.Logger.Level.WARNING, "ignored update offer " + offer.target() + ": the device is locked");
            return;
        }
        offers.take(offer);
        try {
            firmware.rebooted();
            LOG.log(System.Logger.Level.INFO, firmware.describe());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "after the update: " + e.getMessage());
        }
    }

    private UpdateReporter reporter(String rollout) {
        FleetClient connected = fleet;
        if (connected == null) {
            return (state, target, message) -> LOG.log(System.Logger.Level.WARNING, "not reported (offline): " + state
                    + " " + target + ": " + message);
        }
        return connected.reporter(rollout);
    }

    /** What file integrity watches, for the start-up banner; empty without --fim-baseline. */
    public Optional<String> integrityDescription() {
        return options.integrity().map(watch -> "file integrity: baseline " + watch.baseline() + ", full scan every "
                + watch.fullScan().toMinutes() + " min");
    }

    /** What runs, for the start-up banner; empty without --firmware. */
    public Optional<String> firmwareDescription() {
        return Optional.ofNullable(firmware).map(DeviceFirmware::describe);
    }

    private boolean deliver(byte[] envelope) {
        FleetClient connected = fleet;
        return connected != null && connected.tamper(envelope);
    }

    private void reportBlocked(String json) {
        FleetClient connected = fleet;
        if (connected == null) {
            LOG.log(System.Logger.Level.WARNING, "blocked traffic not reported (no gateway connection): " + json);
            return;
        }
        connected.firewall(json);
    }

    /** What the firewall does, for the start-up banner; empty without one. */
    public Optional<String> firewallDescription() {
        return Optional.ofNullable(firewall).map(EmbeddedFirewall::describe);
    }

    private void respondLocally(TamperReport report) {
        String reason = "tamper: " + report.sensor().wireName() + " " + report.name();
        try {
            switch (options.onTamper()) {
                case NONE -> { }
                case LOCK -> LOG.log(System.Logger.Level.WARNING, lock.lock(reason));
                case ZEROISE -> {
                    LOG.log(System.Logger.Level.WARNING, "zeroising on tamper evidence: " + erase());
                    end();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the local tamper response failed: " + e.getMessage());
        }
    }

    /** Crypto-erases the store, then overwrites and deletes the device key; answers what was done. */
    private String erase() throws IOException {
        int records = store.cryptoErase();
        Path tpmKey = DeviceCredentials.tpmKeyFile(options.data());
        if (attestor != null) {
            attestor.destroy();
        }
        if (Files.exists(tpmKey)) {
            // Evicted from the TPM: the key is gone from the only place it ever was.
            io.palisade.pki.tpm.TpmPrivateKey inTpm = DeviceCredentials.tpmKey(options.data());
            io.palisade.pki.tpm.TpmKeys.destroy(inTpm.tpm(), inTpm.handle());
            Files.delete(tpmKey);
        }
        Path key = DeviceCredentials.keyFile(options.data());
        if (Files.exists(key)) {
            try (FileChannel channel = FileChannel.open(key, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(new byte[(int) Files.size(key)]), 0);
                channel.force(true);
            }
            Files.delete(key);
        }
        wiped = true;
        return "store crypto-erased (" + records + " records), device key overwritten and deleted";
    }

    /** What the device does for the signed commands its {@link CommandHandler} accepted. */
    private final class Actions implements CommandHandler.Actions {
        @Override
        public String wipe() throws IOException {
            return erase();
        }

        @Override
        public String reflash(String target) throws Exception {
            if (firmware == null) {
                throw new UnsupportedOperationException("this agent was started without --firmware; reflash it another"
                        + " way");
            }
            return firmware.reflash(target, reporter(""));
        }

        @Override
        public String lock() throws IOException {
            return lock.lock("locked by the control plane");
        }

        @Override
        public String unlock() throws IOException {
            return lock.unlock();
        }

        @Override
        public boolean locked() {
            return lock.locked();
        }
    }

    private void commandResult(String nonce, String command, boolean done, String message) {
        FleetClient connected = fleet;
        if (connected != null) {
            connected.commandResult(nonce, command, done, message);
        }
        if (wiped) {
            end(); // no key left: nothing more this agent can do
        }
    }

    private void end() {
        Thread closer = new Thread(this::close, "palisade-agent-end");
        closer.start();
    }

    public DeviceId device() {
        return device;
    }

    public ProcessHardening.Result hardening() {
        return hardening;
    }

    public boolean locked() {
        return lock.locked();
    }

    /** Whether a wipe (or a local zeroise) erased this device. */
    public boolean wiped() {
        return wiped;
    }

    public DeviceDataStore store() {
        return store;
    }

    /** Blocks until the agent ends (closed, or wiped). */
    public void awaitEnd() throws InterruptedException {
        ended.await();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (connector != null) {
            connector.interrupt();
        }
        if (tamper != null) {
            tamper.close();
        }
        if (firewall != null) {
            firewall.close();
        }
        if (integrity != null) {
            try {
                integrity.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the integrity monitor: " + e.getMessage());
            }
        }
        FleetClient connected = fleet;
        if (connected != null) {
            connected.close();
        }
        ended.countDown();
    }
}
