package io.palisade.agent.fim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.pki.SignedEnvelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The known-good state of a tree, signed (ECDSA P-256, SHA-256) so that an attacker who changes a
 * file cannot also rewrite the baseline to match: a baseline whose signature does not verify with the
 * pinned key is refused, which is itself a finding. Stored as
 * {@code {"baseline": BASE64(JSON), "signature": BASE64(DER)}}.
 */
public record Baseline(String root, Instant created, Map<String, FileAttributes> files) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Baseline {
        files = Map.copyOf(files);
    }

    /** Compares the baseline with {@code now}: added, removed and modified files, in path order. */
    public List<FileChange> compare(Map<String, FileAttributes> now) {
        List<FileChange> changes = new ArrayList<>();
        Map<String, FileAttributes> all = new TreeMap<>(files);
        now.forEach(all::putIfAbsent);
        for (String path : all.keySet()) {
            FileAttributes before = files.get(path);
            FileAttributes after = now.get(path);
            changes.addAll(compare(path, Optional.ofNullable(before), Optional.ofNullable(after)).stream().toList());
        }
        return changes;
    }

    /** The change of one path, if any. */
    public Optional<FileChange> compare(String path, Optional<FileAttributes> before, Optional<FileAttributes> after) {
        if (before.isEmpty() && after.isPresent()) {
            return Optional.of(new FileChange(FileChange.Kind.ADDED, path, before, after, List.of()));
        }
        if (before.isPresent() && after.isEmpty()) {
            return Optional.of(new FileChange(FileChange.Kind.REMOVED, path, before, after, List.of()));
        }
        if (before.isPresent()) {
            List<String> differences = before.get().differences(after.get());
            if (!differences.isEmpty()) {
                return Optional.of(new FileChange(FileChange.Kind.MODIFIED, path, before, after, differences));
            }
        }
        return Optional.empty();
    }

    public byte[] sign(PrivateKey key) {
        ObjectNode body = JSON.createObjectNode().put("root", root).put("created", created.toString());
        ArrayNode list = body.putArray("files");
        new TreeMap<>(files).values().forEach(f -> list.addObject().put("path", f.path()).put("sha256", f.sha256())
                .put("size", f.size()).put("mode", f.mode()).put("owner", f.owner()).put("mtime", f.mtime()));
        return SignedEnvelope.seal("baseline", body.toString().getBytes(StandardCharsets.UTF_8), key);
    }

    /** Reads a signed baseline; throws naming the reason when it is malformed or its signature does not verify. */
    public static Baseline verify(byte[] signed, PublicKey key) throws IOException {
        byte[] bytes;
        try {
            bytes = SignedEnvelope.open("baseline", signed, key);
        } catch (SignedEnvelope.Refused e) {
            throw new IOException(e.getMessage().startsWith("malformed") ? "the baseline file is malformed"
                    : "the baseline's signature does not verify: it was changed after it was signed");
        }
        JsonNode body = JSON.readTree(bytes);
        Map<String, FileAttributes> files = new TreeMap<>();
        for (JsonNode f : body.path("files")) {
            FileAttributes attributes = new FileAttributes(f.path("path").asText(), f.path("sha256").asText(),
                    f.path("size").asLong(), f.path("mode").asText(), f.path("owner").asText(), f.path("mtime").asLong());
            files.put(attributes.path(), attributes);
        }
        return new Baseline(body.path("root").asText(), Instant.parse(body.path("created").asText()), files);
    }
}
