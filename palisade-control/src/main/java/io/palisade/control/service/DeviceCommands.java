package io.palisade.control.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import io.palisade.core.fleet.FleetChannel;
import io.palisade.core.fleet.FleetTopics;
import io.palisade.core.policy.PolicyBook;
import io.palisade.pki.command.DeviceCommand;
import io.palisade.pki.command.SignedCommands;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Remote wipe and reflash of quarantined devices (R13): signs a command with the command key, sends
 * it retained on the device's management channel (so a device that is offline gets it when it comes
 * back, until the command expires), and turns the device's result into events. Only a quarantined
 * device can be sent a command: wiping or reflashing a device in service is not a management action
 * this product offers by accident.
 */
public final class DeviceCommands {

    /** How long a command stays valid; the device refuses it afterwards. */
    public static final Duration LIFETIME = Duration.ofHours(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeviceRegistry registry;
    private final DeviceService devices;
    private final PolicyBook policies;
    private final FleetChannel fleet;
    private final PrivateKey commandKey;
    private final Predicate<String> targetExists;
    private final Events events;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** Commands sent and not yet answered, by nonce; lost on restart (the device's answer is still recorded). */
    private final Map<String, DeviceCommand> pending = new ConcurrentHashMap<>();

    public DeviceCommands(DeviceRegistry registry, DeviceService devices, PolicyBook policies, FleetChannel fleet,
                          PrivateKey commandKey, Predicate<String> targetExists, Events events, Clock clock) {
        this.registry = registry;
        this.devices = devices;
        this.policies = policies;
        this.fleet = fleet;
        this.commandKey = commandKey;
        this.targetExists = targetExists;
        this.events = events;
        this.clock = clock;
    }

    public void listen() {
        fleet.subscribe(FleetTopics.everyDevice(FleetTopics.COMMAND_RESULT), this::onResult);
    }

    public DeviceCommand wipe(String id, String actor, Optional<String> reason) throws Refusal {
        return send(DeviceCommand.Type.WIPE, id, Optional.empty(), actor, reason);
    }

    public DeviceCommand reflash(String id, String target, String actor, Optional<String> reason) throws Refusal {
        if (!targetExists.test(target)) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "the update repository has no published target '" + target + "'");
        }
        return send(DeviceCommand.Type.REFLASH, id, Optional.of(target), actor, reason);
    }

    /** Tells a quarantined device to stop its application and refuse commands until unlocked. */
    public DeviceCommand lock(String id, String actor, Optional<String> reason) throws Refusal {
        return send(DeviceCommand.Type.LOCK, id, Optional.empty(), actor, reason);
    }

    /**
     * Ends a device's lock. Unlike the other commands it does not need a quarantine: releasing the device
     * and unlocking it are the operator's two separate decisions, in either order.
     */
    public DeviceCommand unlock(String id, String actor, Optional<String> reason) throws Refusal {
        return send(DeviceCommand.Type.UNLOCK, id, Optional.empty(), actor, reason);
    }

    private DeviceCommand send(DeviceCommand.Type type, String id, Optional<String> target, String actor,
                               Optional<String> reason) throws Refusal {
        if (!fleet.available()) {
            throw new Refusal(Refusal.Kind.CONFLICT, "this instance runs without the MQTT gateway, so it cannot reach"
                    + " devices");
        }
        DeviceId deviceId;
        try {
            deviceId = DeviceId.of(id);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
        Device device = registry.find(deviceId).orElseThrow(() ->
                new Refusal(Refusal.Kind.NOT_FOUND, "there is no device " + id));
        if (type != DeviceCommand.Type.UNLOCK && !policies.isConfined(device)) {
            throw new Refusal(Refusal.Kind.CONFLICT, "device " + id + " is not quarantined; quarantine it first"
                    + " (`palisade device quarantine " + id + "`)");
        }
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        Instant now = clock.instant();
        DeviceCommand command = new DeviceCommand(type, deviceId, HexFormat.of().formatHex(nonce), now,
                now.plus(LIFETIME), target);
        pending.put(command.nonce(), command);
        fleet.publish(FleetTopics.command(deviceId), SignedCommands.sign(command, commandKey), true);
        System.getLogger(DeviceCommands.class.getName()).log(System.Logger.Level.INFO, type.wireName() + " of " + id
                + target.map(t -> " with " + t).orElse("") + " sent by " + actor + reason.map(r -> ": " + r).orElse(""));
        return command;
    }

    /** The keys its certificates certify are gone: nothing may use those certificates any more. */
    private void revokeAfterWipe(DeviceId device) {
        try {
            devices.revokeCertificates(device.value(), "control-plane", "remote wipe confirmed");
        } catch (Refusal e) {
            System.getLogger(DeviceCommands.class.getName()).log(System.Logger.Level.WARNING,
                    "could not revoke the certificates of wiped device " + device + ": " + e.getMessage());
        }
    }

    void onResult(String topic, byte[] payload) {
        Optional<DeviceId> device = FleetTopics.deviceOf(topic);
        if (device.isEmpty()) {
            return;
        }
        JsonNode result;
        try {
            if (payload.length > FirmwareReports.MAX_REPORT_BYTES) {
                throw new IOException("result of " + payload.length + " bytes");
            }
            result = JSON.readTree(payload);
            if (result == null || !result.isObject()) {
                throw new IOException("not a JSON object");
            }
        } catch (IOException e) {
            events.emit(EventType.PROTOCOL_VIOLATION, Severity.LOW, device.get(), "mqtt",
                    "malformed command result: " + e.getMessage());
            return;
        }
        DeviceCommand command = pending.get(result.path("nonce").asText(""));
        boolean done = result.path("result").asText("").equals("done");
        String message = result.path("message").asText("");
        if (command == null || !command.device().equals(device.get())) {
            // A refusal of a command this instance did not send (or no longer remembers) may be a forgery attempt.
            events.emit(EventType.COMMAND_FAILED, Severity.HIGH, device.get(), "mqtt",
                    "device " + device.get() + " answered an unknown command: " + message);
            return;
        }
        pending.remove(command.nonce());
        // The command is done with: remove it from the broker so a reconnecting device is not sent it again.
        fleet.publish(FleetTopics.command(command.device()), new byte[0], true);
        if (!done) {
            events.emit(EventType.COMMAND_FAILED, Severity.HIGH, device.get(), "mqtt", "device " + device.get()
                    + " did not carry out " + command.type().wireName() + ": " + message);
        } else if (command.type() == DeviceCommand.Type.WIPE) {
            events.emit(EventType.DEVICE_WIPED, Severity.HIGH, device.get(), "mqtt", "device " + device.get()
                    + " crypto-erased its data and keys (" + message + "); it must enroll again");
            revokeAfterWipe(device.get());
        } else if (command.type() == DeviceCommand.Type.LOCK || command.type() == DeviceCommand.Type.UNLOCK) {
            boolean lock = command.type() == DeviceCommand.Type.LOCK;
            events.emit(lock ? EventType.DEVICE_LOCKED : EventType.DEVICE_UNLOCKED, lock ? Severity.HIGH : Severity.INFO,
                    device.get(), "mqtt", "device " + device.get() + (lock ? " locked itself: " : " unlocked itself: ")
                            + message);
        } else {
            events.emit(events.event(EventType.FIRMWARE_INSTALLED, Severity.INFO, device.get(), "mqtt", "device "
                    + device.get() + " reflashed with " + command.target().orElse("?") + ": " + message)
                    .withDetails(java.util.Map.of("target", command.target().orElse("?"), "via", "reflash")));
        }
    }
}
