package io.palisade.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two instances on the real PostgreSQL: one holds the duty, and the other takes it over when the holder goes. */
class DutyLeaseTest {

    private StoreUrl url;

    @BeforeEach
    void database() throws Exception {
        url = Stores.newPostgres();
    }

    @AfterEach
    void drop() throws Exception {
        Stores.dropPostgres(url);
    }

    @Test
    void exactly_one_instance_holds_the_duty_and_another_takes_it_over_when_the_holder_stops() throws Exception {
        DutyLease first = DutyLease.start(url, "gw-a");
        try (DutyLease second = DutyLease.start(url, "gw-b")) {
            assertThat(first.held()).as("the first to try").isTrue();
            assertThat(second.held()).isFalse();
            Thread.sleep(DutyLease.CHECK_EVERY.toMillis() * 2);
            assertThat(first.held()).as("kept while its session lives").isTrue();
            assertThat(second.held()).isFalse();
            first.close();
            assertThat(first.held()).isFalse();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!second.held() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(second.held()).as("taken over after the holder went").isTrue();
        }
    }

    @Test
    void sqlite_has_no_shared_duty() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DutyLease.start(StoreUrl.sqlite(
                java.nio.file.Path.of("/tmp/x.db")), "gw-a")).hasMessageContaining("needs PostgreSQL");
    }
}
