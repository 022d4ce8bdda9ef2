package io.palisade.control.http;

import io.palisade.core.device.DeviceConnections;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.control.service.DeviceService;
import io.palisade.control.service.Events;
import io.palisade.control.service.FailureLimiter;
import io.palisade.control.service.Refusal;
import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventJson;
import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventStore;
import io.palisade.core.event.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** The REST API under {@code /api/v1/}: devices and events, authenticated by the admin token. */
public final class AdminApiRoutes {

    public static final String PREFIX = "/api/v1/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeviceService devices;
    private final EventStore eventStore;
    private final AdminAuthenticator authenticator;
    private final JsonBodies bodies;
    private final java.util.function.Predicate<String> segmentQuarantined;
    private final java.util.function.Supplier<DeviceConnections> connections;

    /** @param segmentQuarantined tells whether a segment is quarantined, so device answers can say so */
    /** @param connections where the data plane says each device stands (it may be wired after the routes) */
    public AdminApiRoutes(DeviceService devices, EventStore eventStore, AdminAuthenticator authenticator,
                          FailureLimiter limiter, Events events, java.util.function.Predicate<String> segmentQuarantined,
                          java.util.function.Supplier<DeviceConnections> connections) {
        this.connections = connections;
        this.devices = devices;
        this.eventStore = eventStore;
        this.authenticator = authenticator;
        this.bodies = new JsonBodies(events);
        this.segmentQuarantined = segmentQuarantined;
    }

    public void register(Router router) {
        router.add("GET", PREFIX + "devices", authenticator.guard((call, p) -> {
            ArrayNode list = JSON.createArrayNode();
            var expiries = devices.certificateExpiries();
            var firmware = installedFirmware();
            devices.list().forEach(d -> {
                ObjectNode device = withExpiry(deviceJson(d), Optional.ofNullable(expiries.get(d.id())));
                Optional.ofNullable(firmware.get(d.id().value())).ifPresent(target -> device.put("firmware", target));
                list.add(device);
            });
            return HttpReply.json(200, JSON.createObjectNode().set("devices", list));
        }), HttpReply::jsonError);
        router.add("POST", PREFIX + "devices", authenticator.guard(this::addDevice), HttpReply::jsonError);
        router.add("GET", PREFIX + "devices/{id}", authenticator.guard((call, p) -> {
            Device device = devices.show(p.get("id"));
            return HttpReply.json(200, withExpiry(deviceJson(device), devices.certificates(p.get("id")).stream()
                    .filter(c -> c.revokedAt().isEmpty()).map(c -> c.notAfter()).max(java.util.Comparator.naturalOrder())));
        }), HttpReply::jsonError);
        router.add("POST", PREFIX + "devices/{id}/token", authenticator.guard((call, p) -> {
            JsonNode body = body(call);
            return HttpReply.json(201, registrationJson(devices.newToken(p.get("id"), tokenTtl(body))));
        }), HttpReply::jsonError);
        router.add("POST", PREFIX + "devices/{id}/revoke", authenticator.guard((call, p) -> {
            JsonNode body = body(call);
            var serials = devices.revoke(p.get("id"), actor(call), reason(body), crlReason(body));
            ObjectNode reply = deviceJson(devices.show(p.get("id")));
            serials.forEach(reply.putArray("revoked_serials")::add);
            return HttpReply.json(200, reply);
        }), HttpReply::jsonError);
        router.add("GET", PREFIX + "devices/{id}/certificates", authenticator.guard((call, p) -> {
            java.time.Instant now = java.time.Instant.now();
            ArrayNode list = JSON.createArrayNode();
            for (var certificate : devices.certificates(p.get("id"))) {
                ObjectNode item = list.addObject();
                item.put("serial", certificate.serial());
                item.put("not_before", EventJson.TIME.format(certificate.notBefore()));
                item.put("not_after", EventJson.TIME.format(certificate.notAfter()));
                item.put("state", certificate.state(now));
                certificate.revokedAt().ifPresent(at -> item.put("revoked_at", EventJson.TIME.format(at))
                        .put("revocation_reason", certificate.reason().wireName()));
            }
            return HttpReply.json(200, JSON.createObjectNode().put("device", p.get("id")).set("certificates", list));
        }), HttpReply::jsonError);
        router.add("POST", PREFIX + "devices/{id}/quarantine", authenticator.guard((call, p) -> HttpReply.json(200,
                deviceJson(devices.quarantine(p.get("id"), actor(call), reason(body(call)))))), HttpReply::jsonError);
        router.add("POST", PREFIX + "devices/{id}/release", authenticator.guard((call, p) -> HttpReply.json(200,
                deviceJson(devices.release(p.get("id"), actor(call), reason(body(call)))))), HttpReply::jsonError);
        router.add("POST", PREFIX + "devices/{id}/tags", authenticator.guard((call, p) -> {
            JsonNode body = body(call);
            return HttpReply.json(200, deviceJson(devices.tag(p.get("id"), tags(body, "add"), tags(body, "remove"))));
        }), HttpReply::jsonError);
        router.add("GET", PREFIX + "events", authenticator.guard((call, p) -> {
            ArrayNode list = JSON.createArrayNode();
            eventStore.query(eventQuery(call)).forEach(e -> list.add(EventJson.toJson(e)));
            return HttpReply.json(200, JSON.createObjectNode().set("events", list));
        }), HttpReply::jsonError);
    }

    private HttpReply addDevice(HttpCall call, java.util.Map<String, String> p) throws Refusal {
        JsonNode body = body(call);
        if (!body.path("id").isTextual()) {
            throw malformed(call, "the request body needs a string field 'id'");
        }
        DeviceService.Registration registration = devices.add(body.get("id").asText(),
                body.path("profile").asText("default"), body.path("segment").asText("default"), tags(body, "tags"),
                body.hasNonNull("role") ? Optional.of(body.get("role").asText()) : Optional.empty(), tokenTtl(body));
        return HttpReply.json(201, registrationJson(registration));
    }

    private JsonNode body(HttpCall call) throws Refusal {
        return bodies.object(call);
    }

    private Refusal malformed(HttpCall call, String message) {
        return bodies.malformed(call, message);
    }

    private static Duration tokenTtl(JsonNode body) throws Refusal {
        JsonNode ttl = body.path("token_ttl_seconds");
        if (ttl.isMissingNode()) {
            return DeviceService.DEFAULT_TOKEN_TTL;
        }
        if (!ttl.canConvertToLong()) {
            throw new Refusal(Refusal.Kind.MALFORMED, "token_ttl_seconds must be a whole number of seconds");
        }
        return Duration.ofSeconds(ttl.asLong());
    }

    /** The CRL reason of an operator's revocation: {@code "crl_reason": "key-compromise"}, unspecified if absent. */
    private static io.palisade.core.device.RevocationReason crlReason(JsonNode body) throws Refusal {
        JsonNode value = body.path("crl_reason");
        if (value.isMissingNode() || value.isNull()) {
            return io.palisade.core.device.RevocationReason.UNSPECIFIED;
        }
        try {
            return io.palisade.core.device.RevocationReason.fromWireName(value.asText());
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
    }

    private static Optional<String> reason(JsonNode body) {
        return JsonBodies.reason(body);
    }

    private static String actor(HttpCall call) {
        return JsonBodies.actor(call);
    }

    private static EventQuery eventQuery(HttpCall call) throws Refusal {
        long after = number(call, "after", 0, Long.MAX_VALUE, 0);
        int limit = (int) number(call, "limit", 1, EventQuery.MAX_LIMIT, 100);
        try {
            Optional<EventType> type = call.queryParameter("type").map(EventType::fromWireName);
            Optional<DeviceId> device = call.queryParameter("device").map(DeviceId::of);
            return new EventQuery(after, limit, type, device);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, "bad event query: " + e.getMessage());
        }
    }

    /** A whole-number query parameter within bounds, or a refusal that names the parameter and the bounds. */
    private static long number(HttpCall call, String name, long min, long max, long absent) throws Refusal {
        Optional<String> text = call.queryParameter(name);
        if (text.isEmpty()) {
            return absent;
        }
        try {
            long value = Long.parseLong(text.get().strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // refused below, with the bounds
        }
        throw new Refusal(Refusal.Kind.MALFORMED, "bad event query: '" + name + "' must be a whole number from "
                + min + " to " + max);
    }

    private static java.util.Set<String> tags(JsonNode body, String field) throws Refusal {
        JsonNode array = body.path(field);
        if (array.isMissingNode() || array.isNull()) {
            return java.util.Set.of();
        }
        if (!array.isArray()) {
            throw new Refusal(Refusal.Kind.MALFORMED, "'" + field + "' must be an array of tag names");
        }
        java.util.Set<String> tags = new java.util.TreeSet<>();
        for (JsonNode tag : array) {
            tags.add(tag.asText());
        }
        return tags;
    }

    private ObjectNode deviceJson(Device device) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", device.id().value());
        node.put("profile", device.profile());
        node.put("segment", device.segment());
        node.put("state", device.state().wireName());
        node.put("quarantined", device.quarantined());
        node.put("segment_quarantined", segmentQuarantined.test(device.segment()));
        device.tags().forEach(node.putArray("tags")::add);
        if (device.tags().isEmpty()) {
            node.putArray("tags");
        }
        device.role().ifPresent(role -> node.put("role", role));
        node.put("created_at", EventJson.TIME.format(device.createdAt()));
        node.put("updated_at", EventJson.TIME.format(device.updatedAt()));
        ObjectNode connection = node.putObject("connection");
        connections.get().connection(device.id()).ifPresentOrElse(c -> connection.put("connected", c.connected())
                        .put("since", EventJson.TIME.format(c.since())).put("address", c.address())
                        .put("last_seen", EventJson.TIME.format(c.lastSeen())),
                () -> connection.put("connected", false));
        return node;
    }

    /**
     * The firmware each device last reported installed, from the newest {@value #FIRMWARE_EVENTS_READ}
     * {@code firmware.installed} events (a device with none among them has no firmware shown).
     */
    private java.util.Map<String, String> installedFirmware() {
        java.util.Map<String, String> firmware = new java.util.HashMap<>();
        for (var event : eventStore.newest(EventType.FIRMWARE_INSTALLED, FIRMWARE_EVENTS_READ)) {
            String target = event.details().get("target");
            if (target != null && event.device().isPresent()) {
                firmware.putIfAbsent(event.device().get().value(), target);
            }
        }
        return firmware;
    }

    static final int FIRMWARE_EVENTS_READ = 5000;

    /** Adds when the device's last unrevoked certificate expires (absent when it has none). */
    private static ObjectNode withExpiry(ObjectNode device, Optional<java.time.Instant> expires) {
        expires.ifPresent(at -> device.put("certificate_expires", EventJson.TIME.format(at)));
        return device;
    }

    private ObjectNode registrationJson(DeviceService.Registration registration) {
        ObjectNode node = deviceJson(registration.device());
        try (var token = registration.token()) {
            byte[] bytes = token.copy();
            node.put("enrollment_token", new String(bytes, StandardCharsets.US_ASCII));
            io.palisade.core.secret.SecretBytes.wipe(bytes);
        }
        node.put("token_expires_at", EventJson.TIME.format(registration.tokenExpiresAt()));
        return node;
    }
}
