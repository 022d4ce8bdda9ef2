package io.palisade.agent;

import io.palisade.core.device.DeviceId;
import io.palisade.pki.command.CommandRejected;
import io.palisade.pki.command.DeviceCommand;
import io.palisade.pki.command.ReplayGuard;
import io.palisade.pki.command.SignedCommands;
import java.security.PublicKey;
import java.time.Clock;

/**
 * Executes signed commands from the management channel: verifies each against the pinned command
 * key (device, nonce, expiry), runs it, and reports the result. A refused command is reported with
 * its reason and changes nothing. While the device is locked (a tamper response) only unlock and wipe
 * are carried out: a wipe must stay possible, whatever else is refused.
 */
public final class CommandHandler {

    private static final System.Logger LOG = System.getLogger(CommandHandler.class.getName());

    /** What the device does for each command; returns a sentence for the report, throws with the reason on failure. */
    public interface Actions {
        String wipe() throws Exception;

        String reflash(String target) throws Exception;

        /** Stops the application; the device stays locked (across restarts) until {@link #unlock()}. */
        default String lock() throws Exception {
            throw new UnsupportedOperationException("this device cannot lock");
        }

        default String unlock() throws Exception {
            throw new UnsupportedOperationException("this device cannot lock");
        }

        /** Whether the device is locked now. */
        default boolean locked() {
            return false;
        }
    }

    /** Where results go: {@link FleetClient#commandResult}. */
    @FunctionalInterface
    public interface Results {
        void report(String nonce, String command, boolean done, String message);
    }

    private final DeviceId self;
    private final PublicKey commandKey;
    private final ReplayGuard replays;
    private final Clock clock;
    private final Actions actions;
    private final Results results;

    public CommandHandler(DeviceId self, PublicKey commandKey, ReplayGuard replays, Clock clock, Actions actions,
                          Results results) {
        this.self = self;
        this.commandKey = commandKey;
        this.replays = replays;
        this.clock = clock;
        this.actions = actions;
        this.results = results;
    }

    public void handle(byte[] envelope) {
        DeviceCommand command;
        try {
            command = SignedCommands.verify(envelope, commandKey, self, clock.instant(), replays);
        } catch (CommandRejected e) {
            LOG.log(System.Logger.Level.WARNING, self + " refused a command: " + e.getMessage());
            results.report("", "unknown", false, e.getMessage());
            return;
        }
        String type = command.type().wireName();
        if (actions.locked() && command.type() != DeviceCommand.Type.UNLOCK && command.type() != DeviceCommand.Type.WIPE) {
            LOG.log(System.Logger.Level.WARNING, self + " is locked and refused " + type);
            results.report(command.nonce(), type, false, "the device is locked; unlock it first");
            return;
        }
        try {
            String outcome = switch (command.type()) {
                case WIPE -> actions.wipe();
                case REFLASH -> actions.reflash(command.target().orElseThrow());
                case LOCK -> actions.lock();
                case UNLOCK -> actions.unlock();
            };
            results.report(command.nonce(), type, true, outcome);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, self + " could not " + type + ": " + e.getMessage());
            results.report(command.nonce(), type, false, type + " failed: " + e.getMessage());
        }
    }
}
