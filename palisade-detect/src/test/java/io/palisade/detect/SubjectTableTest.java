package io.palisade.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The table of tracked subjects stays bounded and forgets the least recently seen first. */
class SubjectTableTest {

    @Test
    void past_its_capacity_it_forgets_the_least_recently_seen() {
        SubjectTable table = new SubjectTable(100);
        for (int i = 0; i < 100; i++) {
            table.getOrCreate(Subject.ofAddress("10.0.0." + i), s -> new DeviceBehaviour(0));
        }
        // The first ten are seen again later than everyone else.
        for (int i = 0; i < 10; i++) {
            table.get(Subject.ofAddress("10.0.0." + i)).lastSeenNanos = 1_000;
        }
        table.getOrCreate(Subject.ofAddress("192.0.2.1"), s -> new DeviceBehaviour(2_000));
        assertThat(table.size()).isLessThanOrEqualTo(100);
        for (int i = 0; i < 10; i++) {
            assertThat(table.get(Subject.ofAddress("10.0.0." + i))).as("recently seen " + i).isNotNull();
        }
        assertThat(table.get(Subject.ofAddress("192.0.2.1"))).isNotNull();
    }

    @Test
    void it_stays_bounded_however_many_subjects_are_invented() {
        SubjectTable table = new SubjectTable(1_000);
        AtomicInteger created = new AtomicInteger();
        for (int i = 0; i < 50_000; i++) {
            table.getOrCreate(Subject.ofAddress("addr-" + i), s -> {
                created.incrementAndGet();
                return new DeviceBehaviour(created.get());
            });
            assertThat(table.size()).isLessThanOrEqualTo(1_000);
        }
        assertThat(created.get()).isEqualTo(50_000);
    }

    @Test
    void the_same_subject_from_many_threads_gets_one_behaviour() throws Exception {
        SubjectTable table = new SubjectTable(10);
        List<Thread> threads = new ArrayList<>();
        List<DeviceBehaviour> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> seen.add(table.getOrCreate(Subject.ofAddress("one"),
                    s -> new DeviceBehaviour(0))));
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(seen).hasSize(8).allSatisfy(b -> assertThat(b).isSameAs(seen.get(0)));
    }
}
