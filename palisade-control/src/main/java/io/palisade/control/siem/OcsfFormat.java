package io.palisade.control.siem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;

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
        int activity = activity(type);
        ObjectNode out = JSON.createObjectNode();
        out.put("class_uid", classUid);
        out.put("class_name", type.ocsfClassName());
        out.put("category_uid", classUid / 1000);
        out.put("activity_id", activity);
        out.put("activity_name", activity == OTHER ? type.wireName() : activityName(type));
        out.put("type_uid", classUid * 100L + activity);
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
        EventAddress.of(event.source()).ifPresent(address -> out.putObject("src_endpoint")
                .put("ip", address.getHostAddress()));
        event.device().ifPresent(device -> {
            ObjectNode node = out.putObject("device");
            node.put("uid", device.value());
            node.put("name", device.value());
            node.put("type_id", 7); // IOT
        });
        if (classUid == 2004) {
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
        if (!event.source().isEmpty() && EventAddress.of(event.source()).isEmpty()) {
            unmapped.put("source", event.source());
        }
        new java.util.TreeMap<>(event.details()).forEach(unmapped::put); // in key order
        return out.toString();
    }

    /** The class's activity id for this type; 99 (Other, named by {@code activity_name}) where none fits. */
    static int activity(EventType type) {
        return switch (type) {
            case AUTH_FAILED, AUTH_SUCCEEDED -> 1;          // Authentication: Logon
            case ANOMALY_DETECTED, TAMPER_DETECTED -> 1;     // Detection Finding: Create
            case FILE_MODIFIED -> 3;                         // File System Activity: Update
            case CERT_ISSUED -> 1;                           // Account Change: Create
            case CERT_REVOKED -> 5;                          // Account Change: Disable
            case ADMIN_TOKEN_ROTATED -> 3;                   // Account Change: Password Change
            case DEVICE_QUARANTINED, DEVICE_RELEASED, FIRMWARE_REJECTED, FIRMWARE_INSTALLED, DEVICE_WIPED,
                 DEVICE_DECOMMISSIONED, DEVICE_DELETED, COMMAND_FAILED -> 1; // Device Config State Change: Log
            default -> OTHER;
        };
    }

    private static String activityName(EventType type) {
        return switch (type) {
            case AUTH_FAILED, AUTH_SUCCEEDED -> "Logon";
            case ANOMALY_DETECTED, TAMPER_DETECTED, CERT_ISSUED -> "Create";
            case FILE_MODIFIED -> "Update";
            case CERT_REVOKED -> "Disable";
            case ADMIN_TOKEN_ROTATED -> "Password Change";
            default -> "Log";
        };
    }

    private static java.util.Optional<Integer> status(EventType type) {
        return switch (type) {
            case AUTH_SUCCEEDED -> java.util.Optional.of(1);
            case AUTH_FAILED, ACL_DENIED -> java.util.Optional.of(2);
            default -> java.util.Optional.empty();
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
