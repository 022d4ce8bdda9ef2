package io.palisade.control.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * Whether the served update repository lists a target in its published targets metadata, so that a
 * roll-out cannot offer devices an image they would fail to find.
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
            JsonNode targets = JSON.readTree(targetsMetadata.toFile()).path("signed").path("targets");
            return targets.has(target);
        } catch (IOException e) {
            return false;
        }
    }
}
