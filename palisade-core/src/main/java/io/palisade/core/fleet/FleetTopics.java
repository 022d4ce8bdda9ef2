package io.palisade.core.fleet;

import io.palisade.core.device.DeviceId;
import java.util.Optional;

/**
 * Topics of each device's management channel, {@code quarantine/{id}/#}: always open to that
 * device (and only to it), and the only tree open to it while it is quarantined, so that update
 * offers, signed commands and reports reach a device whatever its standing.
 *
 * <p>Nothing that arrives here is trusted for more than the gateway vouches for: that the sender
 * is the device the topic names. Update offers are hints (the device verifies everything through
 * TUF), commands carry their own signature, reports are the device's claims.
 */
public final class FleetTopics {

    public static final String PREFIX = "quarantine/";
    /** Control plane → device, retained: an offer of a repository target to install. */
    public static final String UPDATE = "/firmware/update";
    /** Device → control plane: update progress. */
    public static final String UPDATE_STATUS = "/firmware/status";
    /** Control plane → device, retained: a signed command (wipe, reflash). */
    public static final String COMMAND = "/command";
    /** Device → control plane: a file integrity change ({@code file.modified}). */
    public static final String INTEGRITY = "/integrity";
    /** Device → control plane: a signed, numbered tamper report ({@code tamper.detected}). */
    public static final String TAMPER = "/tamper";
    /** Control plane → device, retained until answered: a fresh nonce for a TPM quote, {@code {"nonce": HEX, "pcrs": [9]}}. */
    public static final String ATTEST_CHALLENGE = "/attest/challenge";
    /** Device → control plane: the quote, {@code {"ak": PEM, "quote": B64, "signature": B64, "pcrs": {"9": HEX}}}. */
    public static final String ATTEST_QUOTE = "/attest/quote";
    /** Device → control plane: what the device's embedded firewall blocked in a report window ({@code firewall.blocked}). */
    public static final String FIREWALL = "/firewall";
    /** Device → control plane: what became of a command. */
    public static final String COMMAND_RESULT = "/command/result";

    private FleetTopics() {
    }

    public static String update(DeviceId device) {
        return PREFIX + device.value() + UPDATE;
    }

    public static String updateStatus(DeviceId device) {
        return PREFIX + device.value() + UPDATE_STATUS;
    }

    public static String integrity(DeviceId device) {
        return PREFIX + device.value() + INTEGRITY;
    }

    public static String tamper(DeviceId device) {
        return PREFIX + device.value() + TAMPER;
    }

    public static String attestChallenge(DeviceId device) {
        return PREFIX + device.value() + ATTEST_CHALLENGE;
    }

    public static String attestQuote(DeviceId device) {
        return PREFIX + device.value() + ATTEST_QUOTE;
    }

    public static String firewall(DeviceId device) {
        return PREFIX + device.value() + FIREWALL;
    }

    public static String command(DeviceId device) {
        return PREFIX + device.value() + COMMAND;
    }

    public static String commandResult(DeviceId device) {
        return PREFIX + device.value() + COMMAND_RESULT;
    }

    /** The filter matching {@code suffix} (one of the constants) for every device. */
    public static String everyDevice(String suffix) {
        return PREFIX + "+" + suffix;
    }

    /** The device a management topic belongs to, if {@code topic} is {@code quarantine/{id}/...}. */
    public static Optional<DeviceId> deviceOf(String topic) {
        if (!topic.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int end = topic.indexOf('/', PREFIX.length());
        if (end < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(DeviceId.of(topic.substring(PREFIX.length(), end)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
