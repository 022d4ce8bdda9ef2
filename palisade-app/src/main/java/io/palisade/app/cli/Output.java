package io.palisade.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;

/** Prints API answers as JSON or as the plain text lines operators read. */
final class Output {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {
    }

    static void json(PrintWriter out, JsonNode node) {
        try {
            out.println(JSON.writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    /** One compact JSON line, for streams such as {@code events --follow --json}. */
    static void jsonLine(PrintWriter out, JsonNode node) {
        out.println(node.toString());
        out.flush();
    }

    static com.fasterxml.jackson.databind.node.ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** A device certificate as the device-side commands print it. */
    static com.fasterxml.jackson.databind.node.ObjectNode certificate(String device, java.security.cert.X509Certificate certificate) {
        return object().put("device", device).put("serial", certificate.getSerialNumber().toString(16))
                .put("not_after", certificate.getNotAfter().toInstant().toString())
                .put("renew_after", io.palisade.pki.RenewalPolicy.renewAt(certificate).toString());
    }

    static String deviceHeader() {
        return String.format("%-24s %-12s %-12s %-11s %-12s %-52s %s", "ID", "PROFILE", "SEGMENT", "STATE",
                "QUARANTINED", "CONNECTION", "TAGS");
    }

    /** "since 13:40:02Z from 10.0.0.7" or "no (last seen 2026-12-02T13:22:10.112Z)" or "no". */
    static String connectionText(JsonNode connection) {
        if (connection.path("connected").asBoolean()) {
            return "since " + connection.path("since").asText() + " from " + connection.path("address").asText();
        }
        return connection.hasNonNull("last_seen") ? "no (last seen " + connection.path("last_seen").asText() + ")" : "no";
    }

    static String deviceLine(JsonNode device) {
        java.util.List<String> tags = new java.util.ArrayList<>();
        device.path("tags").forEach(t -> tags.add(t.asText()));
        return String.format("%-24s %-12s %-12s %-11s %-12s %-52s %s", device.path("id").asText(),
                device.path("profile").asText(), device.path("segment").asText(), device.path("state").asText(),
                device.path("quarantined").asBoolean() ? "yes"
                        : device.path("segment_quarantined").asBoolean() ? "via segment" : "no",
                connectionText(device.path("connection")), String.join(",", tags));
    }

    /** The header over {@link #eventLine} rows. */
    static String eventHeader() {
        return String.format("%-6s %-24s  %-19s %-8s %-16s %-15s %s", "ID", "TIME (UTC)", "TYPE", "SEVERITY", "DEVICE",
                "SOURCE", "MESSAGE");
    }

    static String eventLine(JsonNode event) {
        return String.format("%-6d %-24s  %-19s %-8s %-16s %-15s %s", event.path("id").asLong(),
                event.path("time").asText(), event.path("type").asText(), event.path("severity").asText(),
                event.path("device").asText("-"), event.path("source").asText("-"), event.path("message").asText());
    }
}
