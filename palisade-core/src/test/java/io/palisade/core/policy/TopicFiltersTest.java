package io.palisade.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicFiltersTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b", "/", "a//b", "$SYS/x", "devices/s-1/temp"})
    void valid_topic_names(String topic) {
        assertThat(TopicFilters.isValidTopicName(topic)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/+", "a/#", "a\u0000b", "bad\uFFFDutf8"})
    void invalid_topic_names(String topic) {
        assertThat(TopicFilters.isValidTopicName(topic)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "a/#", "a/+/c", "+/+", "/#", "a"})
    void valid_filters(String filter) {
        assertThat(TopicFilters.isValidFilter(filter)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/#/b", "a#", "a/b+", "++", "a/\u0000"})
    void invalid_filters(String filter) {
        assertThat(TopicFilters.isValidFilter(filter)).isFalse();
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            "a/#, a, true", "a/#, a/b/c, true", "a/#, a/+, true", "a/#, a/#, true", "a/#, b, false",
            "a/+, a/b, true", "a/+, a/b/c, false", "a/+, a, false", "a/+, a/#, false", "a/+, a/+, true",
            "a/b, a/+, false", "#, $SYS/x, false", "+/x, $SYS/x, false", "$SYS/#, $SYS/x, true",
            "devices/s1/#, devices/s1, true", "devices/s1/#, devices/s10/x, false", "#, a/b, true"})
    void containment(String outer, String inner, boolean expected) {
        assertThat(TopicFilters.contains(outer, inner)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} meets {1}: {2}")
    @CsvSource({
            "a/#, a, true", "a/+, a/b, true", "a/+/c, a/b, false", "+/b, a/+, true", "a/b, a/c, false",
            "#, x, true", "#, $SYS/x, false", "a/b/#, a/+, true", "devices/+/cmd, devices/s1/#, true",
            "x/y, x/y/z, false", "x/y/#, x/y, true"})
    void intersection(String a, String b, boolean expected) {
        assertThat(TopicFilters.intersects(a, b)).isEqualTo(expected);
        assertThat(TopicFilters.intersects(b, a)).as("symmetric").isEqualTo(expected);
    }
}
