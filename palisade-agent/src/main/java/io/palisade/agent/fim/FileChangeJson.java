package io.palisade.agent.fim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * The wire form of a change report, as the agent sends it on {@code quarantine/{id}/integrity} and
 * {@code palisade fim} posts it to {@code /api/v1/integrity}:
 * {@code {"kind": "modified", "path", "changed": [...], "before": {...}, "after": {...}, "response", "message"}}.
 */
public final class FileChangeJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FileChangeJson() {
    }

    public static ObjectNode toJson(FileChange change, String response) {
        ObjectNode node = JSON.createObjectNode().put("kind", change.kind().name().toLowerCase(Locale.ROOT))
                .put("path", change.path());
        change.changedAttributes().forEach(node.putArray("changed")::add);
        change.before().ifPresent(b -> node.set("before", attributes(b)));
        change.after().ifPresent(a -> node.set("after", attributes(a)));
        node.put("response", response);
        node.put("message", change.describe() + "; " + response);
        return node;
    }

    private static ObjectNode attributes(FileAttributes a) {
        return JSON.createObjectNode().put("sha256", a.sha256()).put("size", a.size()).put("mode", a.mode())
                .put("owner", a.owner()).put("mtime", java.time.Instant.ofEpochMilli(a.mtime()).toString());
    }
}
