package io.palisade.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.device.DeviceId;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventSpoolTest {

    @TempDir
    Path dir;

    static SecurityEvent event(int n) {
        return SecurityEvent.of(Instant.ofEpochMilli(1_700_000_000_000L + n), EventType.ACL_DENIED, Severity.MEDIUM,
                DeviceId.of("d" + n), "10.0.0." + (n % 250), "refused publish " + n).withDetail("n", Integer.toString(n));
    }

    static List<SecurityEvent> events(int from, int to) {
        return IntStream.range(from, to).mapToObj(EventSpoolTest::event).toList();
    }

    @Test
    void events_come_back_in_order_and_the_spool_empties_once_all_are_taken() throws Exception {
        Path file = dir.resolve("events.spool");
        try (EventSpool spool = EventSpool.open(file, 1 << 20)) {
            assertThat(spool.append(events(0, 10))).isEqualTo(10);
            assertThat(spool.append(events(10, 15))).isEqualTo(5);
            EventSpool.Batch first = spool.peek(8);
            assertThat(first.events()).isEqualTo(events(0, 8));
            spool.taken(first);
            assertThat(spool.pending()).isEqualTo(7);
            EventSpool.Batch rest = spool.peek(100);
            assertThat(rest.events()).isEqualTo(events(8, 15));
            spool.taken(rest);
            assertThat(spool.isEmpty()).isTrue();
        }
        assertThat(Files.size(file)).isZero();
        assertThat(Files.exists(dir.resolve("events.spool.pos"))).isFalse();
    }

    @Test
    void a_restart_replays_only_what_the_store_has_not_taken() throws Exception {
        Path file = dir.resolve("events.spool");
        try (EventSpool spool = EventSpool.open(file, 1 << 20)) {
            spool.append(events(0, 20));
            spool.taken(spool.peek(12));
        }
        try (EventSpool reopened = EventSpool.open(file, 1 << 20)) {
            assertThat(reopened.pending()).isEqualTo(8);
            assertThat(reopened.peek(100).events()).isEqualTo(events(12, 20));
        }
    }

    @Test
    void a_torn_last_record_is_cut_off_and_overwritten_by_the_next_append() throws Exception {
        Path file = dir.resolve("events.spool");
        try (EventSpool spool = EventSpool.open(file, 1 << 20)) {
            spool.append(events(0, 3));
        }
        long intact = Files.size(file);
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(intact);
            raw.write(new byte[] {0, 0, 1, 0, 1, 2, 3, 4, '{', '"'}); // a record header and a few bytes: a crash mid-write
        }
        try (EventSpool reopened = EventSpool.open(file, 1 << 20)) {
            assertThat(reopened.pending()).isEqualTo(3);
            reopened.append(events(3, 5));
            assertThat(reopened.peek(100).events()).isEqualTo(events(0, 5));
        }
    }

    @Test
    void a_record_damaged_in_place_stops_reading_there_and_says_so() throws Exception {
        Path file = dir.resolve("events.spool");
        try (EventSpool spool = EventSpool.open(file, 1 << 20)) {
            spool.append(events(0, 1));
            long second = Files.size(file);
            spool.append(events(1, 3));
            try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
                raw.seek(second + 20);
                raw.write('X'); // a flipped byte inside the second record: its checksum no longer holds
            }
            EventSpool.Batch batch = spool.peek(100);
            assertThat(batch.events()).isEqualTo(events(0, 1));
            assertThat(batch.damaged()).isTrue();
            spool.taken(batch);
            assertThat(spool.isEmpty()).isTrue();
        }
    }

    @Test
    void a_full_spool_takes_what_fits_and_reports_the_rest() throws Exception {
        try (EventSpool spool = EventSpool.open(dir.resolve("small.spool"), 1_000)) {
            int written = spool.append(events(0, 50));
            assertThat(written).isBetween(1, 49);
            assertThat(spool.pending()).isEqualTo(written);
            assertThat(Files.size(dir.resolve("small.spool"))).isLessThanOrEqualTo(1_000);
        }
    }

    @Test
    void the_spool_is_readable_by_its_owner_only() throws Exception {
        Path file = dir.resolve("events.spool");
        try (EventSpool spool = EventSpool.open(file, 1 << 20)) {
            spool.append(events(0, 1));
        }
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }
}
