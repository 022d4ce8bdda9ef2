package io.palisade.control.siem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import java.net.InetAddress;
import java.util.Optional;

/**
 * OCSF 1.3 JSON: one object per event in the class its type maps onto ({@link EventType#ocsfClassUid()}),
 * with the base attributes every class requires ({@code class_uid}, {@code category_uid}, {@code activity_id},
 * {@code type_uid = class_uid × 100 + activity_id}, {@code severity_id}, {@code time}, {@code metadata}) and
 * what each class asks for: {@code status_id} for authentication and authorization, {@code finding_info}
 * for detection findings, {@code file} for file system activity, {@code device} for device state changes.
 * The device concerned is {@code device}, the source address {@code src_endpoint}; details go to
 * {@code unmapped}.
 */
final class OcsfFormat implements EventFormatter {

    static final String SCHEMA_VERSION = "1.3.0";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int OTHER = 99;
    private final Origin origin;

    OcsfFormat(Origin origin) {
        this.origin = origin;
    }

    @Override
    public String format(SecurityEvent event) {
        EventType type = event.type();
        int classUid = type.ocsfClassUid();
        Activity activity = activity(type);
        Optional<InetAddress> address = io.palisade.core.net.IpLiteral.parse(event.source());
        ObjectNode out = JSON.createObjectNode();
        out.put("class_uid", classUid);
        out.put("class_name", type.ocsfClassName());
        out.put("category_uid", classUid / 1000);
        out.put("activity_id", activity.id());
        out.put("activity_name", activity.name());
        out.put("type_uid", classUid * 100L + activity.id());
        out.put("severity_id", event.severity().ocsfId());
        out.put("severity", severityName(event));
        out.put("time", event.time().toEpochMilli());
        out.put("message", event.message());
        ObjectNode metadata = out.putObject("metadata");
        metadata.put("version", SCHEMA_VERSION);
        metadata.put("uid", Long.toString(event.id()));
        metadata.put("event_code", type.wireName());
        ObjectNode product = metadata.putObject("product");
        product.put("name", Origin.PRODUCT);
        product.put("vendor_name", Origin.VENDOR);
        product.put("version", origin.version());
        status(type).ifPresent(status -> {
            out.put("status_id", status);
            out.put("status", status == 1 ? "Success" : "Failure");
        });
        address.ifPresent(ip -> out.putObject("src_endpoint").put("ip", ip.getHostAddress()));
        event.device().ifPresent(device -> {
            ObjectNode node = out.putObject("device");
            node.put("uid", device.value());
            node.put("name", device.value());
            node.put("type_id", 7); // IOT
        });
        if (classUid == 2004 || classUid == 2003) { // Detection Finding, Compliance Finding
            ObjectNode finding = out.putObject("finding_info");
            finding.put("uid", Long.toString(event.id()));
            finding.put("title", event.message());
            finding.putArray("types").add(type.wireName());
        }
        if (classUid == 1001) {
            String path = event.details().getOrDefault("path", "");
            ObjectNode file = out.putObject("file");
            file.put("path", path);
            file.put("name", path.substring(path.lastIndexOf('/') + 1));
            file.put("type_id", 1); // regular file
        }
        ObjectNode unmapped = out.putObject("unmapped");
        if (!event.source().isEmpty() && address.isEmpty()) {
            unmapped.put("source", event.source());
        }
        new java.util.TreeMap<>(event.details()).forEach(unmapped::put); // in key order
        return out.toString();
    }

    /** An OCSF activity of a class: its id and name. */
    record Activity(int id, String name) {
    }

    /** The class's activity for this type; 99 (Other, named by the type) where none fits. */
    static Activity activity(EventType type) {
        return switch (type) {
            case AUTH_FAILED, AUTH_SUCCEEDED, ATTESTATION_PASSED -> new Activity(1, "Logon"); // Authentication
            case ANOMALY_DETECTED, TAMPER_DETECTED, RADIO_FINDING, ATTESTATION_FAILED -> new Activity(1, "Create"); // Detection Finding
            case AUDIT_FINDING -> new Activity(1, "Create");                          // Compliance Finding
            case FILE_MODIFIED -> new Activity(3, "Update");                          // File System Activity
            case CERT_ISSUED -> new Activity(1, "Create");                            // Account Change
            case CERT_REVOKED -> new Activity(5, "Disable");                          // Account Change
            case ADMIN_TOKEN_ROTATED -> new Activity(3, "Password Change");           // Account Change
            case ADMIN_CHANGE -> new Activity(3, "Update");                           // API Activity
            case RFID_LOOKUP -> new Activity(2, "Read");                              // API Activity
            case OVERLAY_SESSION, MODBUS_REQUEST -> new Activity(6, "Traffic");       // Network Activity
            case FIREWALL_BLOCKED -> new Activity(5, "Refuse");                       // Network Activity
            case DEVICE_QUARANTINED, DEVICE_RELEASED, FIRMWARE_REJECTED, FIRMWARE_INSTALLED, DEVICE_WIPED,
                 DEVICE_DECOMMISSIONED, DEVICE_DELETED, COMMAND_FAILED, DEVICE_LOCKED, DEVICE_UNLOCKED
                    -> new Activity(1, "Log"); // Device Config State Change
            default -> new Activity(OTHER, type.wireName());
        };
    }

    private static Optional<Integer> status(EventType type) {
        return switch (type) {
            case AUTH_SUCCEEDED -> Optional.of(1);
            case AUTH_FAILED, ACL_DENIED -> Optional.of(2);
            default -> Optional.empty();
        };
    }

    private static String severityName(SecurityEvent event) {
        return switch (event.severity()) {
            case INFO -> "Informational";
            case LOW -> "Low";
            case MEDIUM -> "Medium";
            case HIGH -> "High";
            case CRITICAL -> "Critical";
        };
    }
}
