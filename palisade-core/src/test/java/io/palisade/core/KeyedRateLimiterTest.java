package io.palisade.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.limit.KeyedRateLimiter;
import io.palisade.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeyedRateLimiterTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void allows_the_burst_then_the_sustained_rate_per_key() {
        KeyedRateLimiter<String> limiter = new KeyedRateLimiter<>(3, 1, 100, clock);
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isFalse();
        assertThat(limiter.isLimited("a")).isTrue();
        assertThat(limiter.retryAfterSeconds("a")).isEqualTo(1);
        assertThat(limiter.tryAcquire("b")).as("other keys are unaffected").isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isFalse();
    }

    @Test
    void memory_stays_bounded_when_keys_are_sprayed() {
        KeyedRateLimiter<Integer> limiter = new KeyedRateLimiter<>(2, 1, 50, clock);
        for (int i = 0; i < 10_000; i++) {
            limiter.tryAcquire(i);
        }
        assertThat(limiter.trackedKeys()).isLessThanOrEqualTo(50);
    }

    @Test
    void idle_keys_are_evicted_before_a_limited_one_even_if_it_is_older() {
        KeyedRateLimiter<String> limiter = new KeyedRateLimiter<>(2, 0.1, 3, clock);
        limiter.tryAcquire("attacker");
        limiter.tryAcquire("attacker");
        limiter.tryAcquire("x");
        limiter.tryAcquire("y");
        clock.advance(Duration.ofSeconds(5));
        limiter.tryAcquire("z");
        assertThat(limiter.isLimited("attacker")).isTrue();
        assertThat(limiter.trackedKeys()).isLessThanOrEqualTo(3);
    }
}
