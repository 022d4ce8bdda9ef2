package io.palisade.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.time.ManualClock;
import io.palisade.store.Database;
import io.palisade.store.SqlEventStore;
import io.palisade.store.StoreUrl;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retention sweep deletes what is older than the retention, against a real store. */
class EventPruningTest {

    @TempDir
    Path dir;

    @Test
    void events_older_than_the_retention_go_at_the_next_sweep() {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
        try (Database database = Database.open(StoreUrl.sqlite(dir.resolve("p.db")))) {
            SqlEventStore store = new SqlEventStore(database);
            store.append(SecurityEvent.of(clock.instant().minus(Duration.ofDays(31)), EventType.AUTH_FAILED,
                    Severity.HIGH, null, "10.0.0.1", "a month ago"));
            SecurityEvent recent = store.append(SecurityEvent.of(clock.instant().minus(Duration.ofDays(29)),
                    EventType.AUTH_FAILED, Severity.LOW, null, "10.0.0.1", "last month"));
            new EventPruning(store, new EventRetention(Duration.ofDays(30), 1_000), clock).run();
            assertThat(store.query(EventQuery.all())).containsExactly(recent);
        }
    }

    @Test
    void a_retention_that_keeps_almost_nothing_is_refused_at_start() {
        assertThatThrownBy(() -> new EventRetention(Duration.ofMinutes(5), 1_000)).hasMessageContaining("--event-retention");
        assertThatThrownBy(() -> new EventRetention(Duration.ofDays(1), 10)).hasMessageContaining("--event-max-count");
    }
}
