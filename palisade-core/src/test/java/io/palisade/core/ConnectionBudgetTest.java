package io.palisade.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.limit.ConnectionBudget;
import io.palisade.core.limit.DescriptorBudget;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ConnectionBudgetTest {

    private final Clock clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

    @Test
    void caps_per_address_and_in_total_and_releases() {
        ConnectionBudget budget = new ConnectionBudget("the test port", 1000, 2, 3, clock);
        assertThat(budget.admit("a")).isEmpty();
        assertThat(budget.admit("a")).isEmpty();
        assertThat(budget.admit("a")).hasValueSatisfying(r -> assertThat(r).contains("already has 2 connections"));
        assertThat(budget.admit("b")).isEmpty();
        assertThat(budget.admit("c")).hasValueSatisfying(r -> assertThat(r).contains("limit of 3 connections"));
        assertThat(budget.open()).isEqualTo(3);
        budget.release("a");
        assertThat(budget.admit("c")).isEmpty();
        assertThat(budget.open()).isEqualTo(3);
    }

    @Test
    void a_full_listener_says_so_and_a_slot_can_change_hands_without_changing_the_total() {
        ConnectionBudget budget = new ConnectionBudget("the test port", 1000, 2, 3, clock);
        budget.admit("a");
        budget.admit("a");
        budget.admit("b");
        ConnectionBudget.Admission full = budget.tryAdmit("c");
        assertThat(full.admitted()).isFalse();
        assertThat(full.onlyBecauseFull()).isTrue();
        assertThat(budget.tryAdmit("a").onlyBecauseFull()).as("a is over its own share anyway").isFalse();
        assertThat(budget.admitInPlaceOf("c", "a")).isEmpty();
        assertThat(budget.open()).isEqualTo(3);
        assertThat(budget.admitInPlaceOf("b", "c")).isEmpty();
        assertThat(budget.admitInPlaceOf("b", "a")).as("b already holds its share of 2").isPresent();
        budget.release("a");
        budget.release("b");
        budget.release("b");
        assertThat(budget.open()).isZero();
        assertThat(budget.admit("a")).isEmpty();
        assertThat(budget.admit("a")).as("the moved slots were given back per address").isEmpty();
    }

    @Test
    void a_reserve_beyond_the_total_is_kept_for_privileged_addresses() {
        ConnectionBudget budget = new ConnectionBudget("the test port", 1000, 10, 2, 1, "admin"::equals, clock);
        assertThat(budget.admit("a")).isEmpty();
        assertThat(budget.admit("b")).isEmpty();
        assertThat(budget.admit("c")).as("full for everyone else").isPresent();
        assertThat(budget.admit("admin")).as("the reserve").isEmpty();
        assertThat(budget.admit("admin")).as("the reserve has its size too").isPresent();
    }

    @Test
    void attempts_are_rate_limited_per_address() {
        ConnectionBudget budget = new ConnectionBudget("the test port", 2, 100, 100, clock);
        int admitted = 0;
        for (int i = 0; i < 10; i++) {
            if (budget.admit("a").isEmpty()) {
                admitted++;
            }
        }
        assertThat(admitted).as("a burst of twice the rate, then nothing in the same instant").isEqualTo(4);
        assertThat(budget.admit("b")).as("other addresses are unaffected").isEmpty();
    }

    @Test
    void the_descriptor_budget_leaves_a_reserve_and_two_descriptors_per_mqtt_session() {
        DescriptorBudget budget = DescriptorBudget.of(20_000);
        assertThat(budget.httpsConnections()).isEqualTo(DescriptorBudget.MAX_HTTPS);
        assertThat(budget.reserve() + budget.httpsConnections() + 2L * budget.mqttSessions()).isLessThanOrEqualTo(20_000);
        assertThat(budget.mqttSessions()).isGreaterThan(9_000);
        DescriptorBudget small = DescriptorBudget.of(1024);
        assertThat(small.reserve() + small.httpsConnections() + 2L * small.mqttSessions()).isLessThanOrEqualTo(1024);
        assertThat(small.describe()).contains("1024 open files");
    }
}
