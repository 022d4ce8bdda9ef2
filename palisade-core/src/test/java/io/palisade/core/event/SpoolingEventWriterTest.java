package io.palisade.core.event;

import static io.palisade.core.event.EventSpoolTest.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolingEventWriterTest {

    @TempDir
    Path dir;

    /** A store that refuses writes while {@code down}, like a database that is restarting. */
    static final class FlakyStore implements Consumer<List<SecurityEvent>> {
        final List<SecurityEvent> stored = new ArrayList<>();
        volatile boolean down;

        @Override
        public synchronized void accept(List<SecurityEvent> batch) {
            if (down) {
                throw new IllegalStateException("store failed to append: connection refused");
            }
            stored.addAll(batch);
        }

        synchronized List<SecurityEvent> stored() {
            return List.copyOf(stored);
        }
    }

    @Test
    void events_written_while_the_store_is_down_reach_it_in_order_when_it_is_back() throws Exception {
        FlakyStore store = new FlakyStore();
        try (SpoolingEventWriter writer = new SpoolingEventWriter(store,
                EventSpool.open(dir.resolve("events.spool"), 1 << 20), Clock.systemUTC())) {
            writer.write(events(0, 5));
            store.down = true;
            writer.write(events(5, 10));
            writer.emit(EventSpoolTest.event(10));
            assertThat(writer.outage()).isPresent();
            assertThat(writer.spooled()).isEqualTo(6);
            store.down = false;
            writer.write(events(11, 13)); // queued behind the spool, not ahead of it
            await().atMost(Duration.ofSeconds(10)).until(() -> store.stored().size() == 13);
            assertThat(store.stored()).isEqualTo(events(0, 13));
            await().atMost(Duration.ofSeconds(5)).until(() -> writer.outage().isEmpty());
            assertThat(writer.spooled()).isZero();
            assertThat(writer.lost()).isZero();
        }
    }

    @Test
    void what_was_spooled_when_the_process_stopped_is_stored_after_the_next_start() throws Exception {
        FlakyStore store = new FlakyStore();
        store.down = true;
        try (SpoolingEventWriter writer = new SpoolingEventWriter(store,
                EventSpool.open(dir.resolve("events.spool"), 1 << 20), Clock.systemUTC())) {
            writer.write(events(0, 7));
        }
        assertThat(store.stored()).isEmpty();
        store.down = false;
        try (SpoolingEventWriter restarted = new SpoolingEventWriter(store,
                EventSpool.open(dir.resolve("events.spool"), 1 << 20), Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> store.stored().size() == 7);
            assertThat(store.stored()).isEqualTo(events(0, 7));
        }
    }

    @Test
    void a_full_spool_counts_what_it_could_not_keep() throws Exception {
        FlakyStore store = new FlakyStore();
        store.down = true;
        try (SpoolingEventWriter writer = new SpoolingEventWriter(store,
                EventSpool.open(dir.resolve("events.spool"), 2_000), Clock.systemUTC())) {
            writer.write(events(0, 100));
            assertThat(writer.lost()).isPositive();
            assertThat(writer.lost() + writer.spooled()).isEqualTo(100);
        }
    }
}
