package io.palisade.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * An offer to install a repository target, as the control plane sends it on
 * {@code quarantine/{id}/firmware/update}: {@code {"rollout": "ro-…", "target": "firmware/x.img"}}.
 * Only a hint: what the target is, and that it is authentic, comes from TUF.
 */
public record UpdateOffer(String rollout, String target) {

    static final int MAX_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses an offer; an empty payload (a withdrawn offer) or anything malformed gives empty. */
    public static Optional<UpdateOffer> parse(byte[] payload) {
        if (payload.length == 0 || payload.length > MAX_BYTES) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(payload);
            if (node == null || !node.path("target").isTextual() || node.path("target").asText().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new UpdateOffer(node.path("rollout").asText(""), node.path("target").asText()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
