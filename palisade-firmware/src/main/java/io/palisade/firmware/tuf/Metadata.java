package io.palisade.firmware.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** One signed metadata file: its {@code signed} part, signatures, type, version and expiry. */
final class Metadata {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A role's keys and threshold, as root (or a delegation) lists them. */
    record Role(Map<String, TufKeys.Key> keys, int threshold) {
    }

    final JsonNode signed;
    final JsonNode signatures;
    final String type;
    final long version;
    final Instant expires;
    private final byte[] canonical;

    private Metadata(JsonNode signed, JsonNode signatures, String type, long version, Instant expires,
                     byte[] canonical) {
        this.signed = signed;
        this.signatures = signatures;
        this.type = type;
        this.version = version;
        this.expires = expires;
        this.canonical = canonical;
    }

    static Metadata parse(byte[] json, String expectedType) throws TufException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new TufException(expectedType + " metadata is not JSON", e);
        }
        if (root == null || !root.path("signed").isObject() || !root.path("signatures").isArray()) {
            throw new TufException(expectedType + " metadata lacks 'signed' or 'signatures'");
        }
        JsonNode signed = root.get("signed");
        String type = signed.path("_type").asText();
        if (!type.equals(expectedType)) {
            throw new TufException("expected " + expectedType + " metadata, got '" + type + "'");
        }
        if (!signed.path("version").canConvertToLong() || signed.get("version").asLong() < 1) {
            throw new TufException(expectedType + " metadata has no valid version");
        }
        Instant expires;
        try {
            expires = Instant.parse(signed.path("expires").asText());
        } catch (DateTimeParseException e) {
            throw new TufException(expectedType + " metadata has no valid expiry", e);
        }
        return new Metadata(signed, root.get("signatures"), type, signed.get("version").asLong(), expires,
                CanonicalJson.encode(signed));
    }

    /** Throws unless at least {@code role.threshold()} distinct keys of the role signed this metadata. */
    void verify(Role role, String whose) throws TufException {
        Set<String> valid = new HashSet<>();
        for (JsonNode signature : signatures) {
            String keyId = signature.path("keyid").asText();
            TufKeys.Key key = role.keys().get(keyId);
            if (key != null && !valid.contains(keyId) && TufKeys.verify(key, canonical, signature.path("sig").asText())) {
                valid.add(keyId);
            }
        }
        if (valid.size() < role.threshold()) {
            throw new TufException(type + " v" + version + " has " + valid.size() + " valid signature(s) from " + whose
                    + " keys; the threshold is " + role.threshold()
                    + (valid.isEmpty() ? " (signed by a key the trusted root does not list for it)" : ""));
        }
    }

    void checkNotExpired(Instant now) throws TufException {
        if (!now.isBefore(expires)) {
            throw new TufException(type + " v" + version + " expired at " + expires + " (freeze attack or stale repository)");
        }
    }

    /** From root metadata: the keys and threshold of {@code roleName}. */
    Role role(String roleName) throws TufException {
        JsonNode role = signed.path("roles").path(roleName);
        if (!role.isObject()) {
            throw new TufException("root v" + version + " defines no '" + roleName + "' role");
        }
        Map<String, TufKeys.Key> keys = new HashMap<>();
        for (JsonNode keyId : role.path("keyids")) {
            JsonNode key = signed.path("keys").path(keyId.asText());
            if (key.isObject()) {
                keys.put(keyId.asText(), TufKeys.parse(key));
            }
        }
        int threshold = role.path("threshold").asInt(0);
        if (threshold < 1) {
            throw new TufException("root v" + version + " gives role '" + roleName + "' a threshold below 1");
        }
        return new Role(keys, threshold);
    }

    /**
     * From targets metadata: the keys and threshold of one entry of {@code delegations.roles}, with the
     * keys taken from this metadata's {@code delegations.keys}.
     */
    Role delegatedRole(JsonNode delegation) throws TufException {
        Map<String, TufKeys.Key> keys = new HashMap<>();
        for (JsonNode keyId : delegation.path("keyids")) {
            JsonNode key = signed.path("delegations").path("keys").path(keyId.asText());
            if (key.isObject()) {
                keys.put(keyId.asText(), TufKeys.parse(key));
            }
        }
        int threshold = delegation.path("threshold").asInt(0);
        if (threshold < 1) {
            throw new TufException(type + " v" + version + " delegates to '" + delegation.path("name").asText()
                    + "' with a threshold below 1");
        }
        return new Role(keys, threshold);
    }

    /** {@code meta[name].version} of timestamp or snapshot metadata. */
    long metaVersion(String name) throws TufException {
        JsonNode entry = signed.path("meta").path(name);
        if (!entry.path("version").canConvertToLong()) {
            throw new TufException(type + " v" + version + " does not list " + name);
        }
        return entry.get("version").asLong();
    }

    JsonNode meta(String name) {
        return signed.path("meta").path(name);
    }

    Map<String, Long> allMetaVersions() {
        Map<String, Long> versions = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = signed.path("meta").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            versions.put(entry.getKey(), entry.getValue().path("version").asLong());
        }
        return versions;
    }
}
