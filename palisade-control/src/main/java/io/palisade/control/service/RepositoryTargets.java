package io.palisade.control.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.palisade.firmware.tuf.Delegations;
import java.util.function.Predicate;

/**
 * Whether the served update repository lists a target in its published targets metadata (top-level
 * or a delegated role's), so that a roll-out cannot offer devices an image they would fail to find.
 * A convenience check: devices verify everything themselves through TUF.
 */
public final class RepositoryTargets implements Predicate<String> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path targetsMetadata;

    public RepositoryTargets(Path repository) {
        this.targetsMetadata = repository.resolve("metadata").resolve("targets.json");
    }

    @Override
    public boolean test(String target) {
        if (!Files.isRegularFile(targetsMetadata)) {
            return false;
        }
        try {
            JsonNode top = JSON.readTree(targetsMetadata.toFile()).path("signed");
            if (top.path("targets").has(target)) {
                return true;
            }
            for (JsonNode role : top.path("delegations").path("roles")) {
                String name = role.path("name").asText();
                Path file = targetsMetadata.resolveSibling(name + ".json");
                if (Delegations.isSafeRoleName(name) && Delegations.covers(role, target) && Files.isRegularFile(file)
                        && JSON.readTree(file.toFile()).path("signed").path("targets").has(target)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
