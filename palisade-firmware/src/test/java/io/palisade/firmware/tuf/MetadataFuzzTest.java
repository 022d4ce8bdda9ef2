package io.palisade.firmware.tuf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Fuzz target for the TUF metadata path: arbitrary bytes as a repository's timestamp.json, behind a
 * valid trusted root. Only {@link TufException} may come out.
 */
class MetadataFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void metadata_fails_only_with_a_reason(byte[] timestamp) throws Exception {
        Path good = Path.of(MetadataFuzzTest.class.getResource("/vectors/tuf/good").toURI());
        byte[] root = java.nio.file.Files.readAllBytes(good.resolve("metadata/1.root.json"));
        Repository repository = new Repository() {
            @Override
            public java.util.Optional<byte[]> metadata(String name, long maxBytes) throws java.io.IOException {
                if (name.equals("timestamp.json")) {
                    return java.util.Optional.of(timestamp);
                }
                return new DirectoryRepository(good).metadata(name, maxBytes);
            }

            @Override
            public byte[] target(String path, long maxBytes) throws java.io.IOException {
                return new DirectoryRepository(good).target(path, maxBytes);
            }
        };
        try {
            new TufClient(repository, root, TufClient.TrustedState.NONE, Clock.systemUTC()).refresh();
        } catch (TufException expected) {
            // A clear refusal is the correct outcome.
        }
    }
}
