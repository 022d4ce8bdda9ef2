package io.palisade.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz target for a spool file left behind by a crash, a full disk or anything else that wrote into the data
 * directory: opening and reading it must never throw anything but {@link java.io.IOException}, never loop,
 * and an append after it must still come back intact at the end.
 *
 * <p>Normal test runs replay the saved inputs; {@code JAZZER_FUZZ=1 mvn -pl palisade-core test
 * -Dtest=EventSpoolFuzzTest} fuzzes for real.
 */
class EventSpoolFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void any_file_content_opens_reads_and_takes_new_events(byte[] content) throws Exception {
        Path dir = Files.createTempDirectory("spool-fuzz");
        Path file = dir.resolve("events.spool");
        try {
            Files.write(file, content);
            try (EventSpool spool = EventSpool.open(file, 1 << 20)) {
                EventSpool.Batch old = spool.peek(Integer.MAX_VALUE);
                spool.taken(old);
                spool.append(EventSpoolTest.events(0, 2));
                assertThat(spool.peek(10).events()).isEqualTo(EventSpoolTest.events(0, 2));
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir.resolve("events.spool.pos"));
            Files.delete(dir);
        }
    }
}
