package io.palisade.core.event;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The security event types of DESIGN.md, with their JSON names and the OCSF class each maps onto
 * one-to-one for SIEM export.
 */
public enum EventType {
    AUTH_FAILED("auth.failed", 3002, "Authentication"),
    AUTH_SUCCEEDED("auth.succeeded", 3002, "Authentication"),
    ACL_DENIED("acl.denied", 3003, "Authorize Session"),
    QUOTA_EXCEEDED("quota.exceeded", 4001, "Network Activity"),
    PROTOCOL_VIOLATION("protocol.violation", 4001, "Network Activity"),
    CERT_ISSUED("cert.issued", 3001, "Account Change"),
    CERT_REVOKED("cert.revoked", 3001, "Account Change"),
    DEVICE_QUARANTINED("device.quarantined", 5019, "Device Config State Change"),
    DEVICE_RELEASED("device.released", 5019, "Device Config State Change"),
    FIRMWARE_REJECTED("firmware.rejected", 5019, "Device Config State Change"),
    FIRMWARE_INSTALLED("firmware.installed", 5019, "Device Config State Change"),
    DEVICE_WIPED("device.wiped", 5019, "Device Config State Change"),
    /** Taken out of service: certificates revoked, identity ended, out of every roll-out; its history stays. */
    DEVICE_DECOMMISSIONED("device.decommissioned", 5019, "Device Config State Change"),
    /** Removed from the registry (nothing of it left valid or on the CRL); its events stay. */
    DEVICE_DELETED("device.deleted", 5019, "Device Config State Change"),
    COMMAND_FAILED("command.failed", 5019, "Device Config State Change"),
    /** The device stopped its application and refuses commands (a tamper response) until unlocked. */
    DEVICE_LOCKED("device.locked", 5019, "Device Config State Change"),
    DEVICE_UNLOCKED("device.unlocked", 5019, "Device Config State Change"),
    /** A device's TPM quoted the PCR values its profile expects, over a fresh nonce. */
    ATTESTATION_PASSED("attestation.passed", 3002, "Authentication"),
    /** A device's quote was missing, forged, stale or showed other PCR values: the device is quarantined. */
    ATTESTATION_FAILED("attestation.failed", 2004, "Detection Finding"),
    /** What a device's embedded firewall dropped in one report window: counts and a few sampled packets. */
    FIREWALL_BLOCKED("firewall.blocked", 4001, "Network Activity"),
    ANOMALY_DETECTED("anomaly.detected", 2004, "Detection Finding"),
    FILE_MODIFIED("file.modified", 1001, "File System Activity"),
    TAMPER_DETECTED("tamper.detected", 2004, "Detection Finding"),
    /** An authenticated operator's request refused for its content (a typo in a rule): not device abuse. */
    ADMIN_REQUEST_REFUSED("admin.request_refused", 6003, "API Activity"),
    /** The REST API's admin token was replaced; the old one stopped working at that moment. */
    ADMIN_TOKEN_ROTATED("admin.token_rotated", 3001, "Account Change"),
    /** A SIEM destination was added, removed or sent a test record ({@code details.action}). */
    ADMIN_SIEM("admin.siem", 6003, "API Activity"),
    /**
     * An administrative request that may change something (device registration, token issuance, policy,
     * roll-out, detection rule, wipe, reflash, ...): who, from where, what ({@code method}, {@code path}) and
     * how it ended ({@code outcome} succeeded, refused or failed, {@code status}).
     */
    ADMIN_ACTION("admin.action", 6003, "API Activity"),
    /** A configuration change with its state before and after ({@code details.what}, {@code subject}, {@code before}, {@code after}). */
    ADMIN_CHANGE("admin.change", 6003, "API Activity"),
    /** An audit check found something to look at ({@code details.check}: certificate-expiring, never-enrolled, ...). */
    AUDIT_FINDING("audit.finding", 2003, "Compliance Finding"),
    /**
     * A tunnel of the isolation overlay opened or closed ({@code details.phase}): who ({@code subject}), to which host
     * and port, under which grant; a closed one adds bytes each way, duration and why it ended.
     */
    OVERLAY_SESSION("overlay.session", 4001, "Network Activity"),
    /** A Modbus request decoded where Palisade relays without judging (inside an overlay tunnel): writes, sampled. */
    MODBUS_REQUEST("modbus.request", 4001, "Network Activity"),
    /**
     * Something wrong in an 802.15.4 / ZigBee frame a sniffer or coordinator fed in ({@code details.finding}: a MIC
     * failure, a replayed frame counter, an unsecured frame on a secured network, the default trust-center link key,
     * ...). Counted against the feed, never against the device the frame names: anyone can send a frame naming it.
     */
    RADIO_FINDING("radio.finding", 2004, "Detection Finding"),
    /**
     * Someone read what an RFID token stands for in the vault ({@code details.token}, {@code outcome} found, erased,
     * rotated or unknown): every lookup, by whom and from where.
     */
    RFID_LOOKUP("rfid.lookup", 6003, "API Activity");

    private static final Map<String, EventType> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));

    private final String wireName;
    private final int ocsfClassUid;
    private final String ocsfClassName;

    EventType(String wireName, int ocsfClassUid, String ocsfClassName) {
        this.wireName = wireName;
        this.ocsfClassUid = ocsfClassUid;
        this.ocsfClassName = ocsfClassName;
    }

    public String wireName() {
        return wireName;
    }

    public int ocsfClassUid() {
        return ocsfClassUid;
    }

    public String ocsfClassName() {
        return ocsfClassName;
    }

    /** Looks a type up by its JSON name, e.g. {@code auth.failed}. */
    public static EventType fromWireName(String wireName) {
        EventType type = BY_WIRE_NAME.get(wireName);
        if (type == null) {
            throw new IllegalArgumentException("unknown event type '" + wireName + "'; known types: "
                    + String.join(", ", BY_WIRE_NAME.keySet().stream().sorted().toList()));
        }
        return type;
    }
}
