package io.palisade.legacy.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Which findings block an address, for how long, and that a block which ran out can be made again. */
class BlockedAddressesTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-03T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private SecurityEvent finding(Severity severity, String source) {
        return SecurityEvent.of(now.get(), EventType.ANOMALY_DETECTED, severity, null, source, "a finding")
                .withDetails(java.util.Map.of("rule", "topic-probing"));
    }

    @Test
    void a_high_finding_about_an_address_blocks_it_for_ten_minutes_and_again_after_that() throws Exception {
        List<SecurityEvent> recorded = new CopyOnWriteArrayList<>();
        List<String> cut = new CopyOnWriteArrayList<>();
        BlockedAddresses blocked = new BlockedAddresses(recorded::add, clock);
        blocked.onBlock(cut::add);
        blocked.emit(finding(Severity.MEDIUM, "10.0.0.5"));
        blocked.emit(finding(Severity.CRITICAL, "detector")); // not an address
        assertThat(blocked.blocked("10.0.0.5")).isFalse();

        blocked.emit(finding(Severity.HIGH, "10.0.0.5"));
        blocked.emit(finding(Severity.HIGH, "10.0.0.5")); // extended, said once
        assertThat(blocked.blocked("10.0.0.5")).isTrue();
        assertThat(blocked.blocked("10.0.0.6")).isFalse();
        now.set(now.get().plus(Duration.ofMinutes(BlockedAddresses.BLOCK_MINUTES)).plusSeconds(1));
        assertThat(blocked.blocked("10.0.0.5")).as("ran out").isFalse();

        blocked.emit(finding(Severity.HIGH, "10.0.0.5"));
        now.set(now.get().plusSeconds(1));
        blocked.emit(finding(Severity.HIGH, "10.0.0.6"));
        blocked.emit(finding(Severity.HIGH, "10.0.0.6"));
        assertThat(cut).containsExactly("10.0.0.5", "10.0.0.5", "10.0.0.6");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> recorded.size() == 3);
        assertThat(recorded).allSatisfy(e -> assertThat(e.details()).containsEntry("action", "block"));
    }

    @Test
    void an_operator_lifts_a_block_which_then_is_no_longer_listed() {
        BlockedAddresses blocked = new BlockedAddresses(event -> { }, clock);
        blocked.emit(finding(Severity.HIGH, "10.0.0.5"));
        blocked.emit(finding(Severity.HIGH, "10.0.0.6"));
        assertThat(blocked.current()).containsOnlyKeys("10.0.0.5", "10.0.0.6");
        assertThat(blocked.unblock("10.0.0.5")).isTrue();
        assertThat(blocked.blocked("10.0.0.5")).isFalse();
        assertThat(blocked.current()).containsOnlyKeys("10.0.0.6");
        assertThat(blocked.unblock("10.0.0.5")).as("no longer blocked").isFalse();
        now.set(now.get().plus(java.time.Duration.ofMinutes(11)));
        assertThat(blocked.current()).as("a block that ran out is not listed").isEmpty();
        assertThat(blocked.unblock("10.0.0.6")).as("it had run out").isFalse();
    }

    @Test
    void an_expired_block_not_yet_forgotten_is_made_again_when_a_new_finding_comes() {
        List<String> cut = new CopyOnWriteArrayList<>();
        BlockedAddresses blocked = new BlockedAddresses(event -> { }, clock);
        blocked.onBlock(cut::add);
        blocked.emit(finding(Severity.HIGH, "fd00::7"));
        now.set(now.get().plus(Duration.ofHours(1))); // expired, but nobody asked blocked() since
        blocked.emit(finding(Severity.HIGH, "fd00::7"));
        assertThat(cut).hasSize(2);
        assertThat(blocked.blocked("fd00:0:0:0:0:0:0:7")).isTrue();
    }
}
