package io.palisade.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.event.Severity;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperatorRuleTest {

    @Test
    void a_rule_round_trips_through_json_with_defaults_filled_in() {
        OperatorRule rule = OperatorRule.fromJson("{\"name\":\"meter-bytes\",\"feature\":\"bytes_per_min\","
                + "\"kind\":\"threshold\",\"value\":50000,\"profile\":\"meter\"}");
        assertThat(rule.feature()).isEqualTo(Feature.BYTES_PER_MIN);
        assertThat(rule.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(rule.action()).isEqualTo(ResponseAction.ALERT);
        assertThat(rule.covers(new DeviceScope("meter", "north"))).isTrue();
        assertThat(rule.covers(new DeviceScope("sensor", "north"))).isFalse();
        assertThat(OperatorRule.fromJson(rule.toJson().toString())).isEqualTo(rule);
    }

    @Test
    void high_severity_rules_propose_quarantine_for_approval_unless_told_otherwise() {
        OperatorRule rule = OperatorRule.fromJson("{\"name\":\"x\",\"feature\":\"acl_denied_per_min\",\"value\":5,"
                + "\"severity\":\"high\"}");
        assertThat(rule.action()).isEqualTo(ResponseAction.QUARANTINE_WITH_APPROVAL);
    }

    @Test
    void malformed_rules_are_refused_with_the_reason() {
        assertThatThrownBy(() -> OperatorRule.fromJson("[1]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> OperatorRule.fromJson("{\"name\":\"x\",\"feature\":\"nope\",\"value\":1}"))
                .hasMessageContaining("'feature' must be one of").hasMessageContaining("bytes_per_min");
        assertThatThrownBy(() -> OperatorRule.fromJson("{\"name\":\"x\",\"feature\":\"bytes_per_s\",\"value\":\"1\"}"))
                .hasMessageContaining("'value' must be a number");
        assertThatThrownBy(() -> OperatorRule.fromJson("{\"name\":\"x\",\"feature\":\"bytes_per_s\",\"value\":-1}"))
                .hasMessageContaining("at least 0");
        assertThatThrownBy(() -> OperatorRule.fromJson("{\"name\":\"x\",\"feature\":\"bytes_per_s\","
                + "\"kind\":\"percentile\",\"value\":100}")).hasMessageContaining("between 0 and 100");
        assertThatThrownBy(() -> OperatorRule.fromJson("{\"name\":\"Bad Name\",\"feature\":\"bytes_per_s\",\"value\":1}"))
                .hasMessageContaining("rule name");
        assertThatThrownBy(() -> OperatorRule.fromJson("{\"name\":\"x\",\"feature\":\"bytes_per_s\",\"value\":1,"
                + "\"action\":\"explode\"}")).hasMessageContaining("unknown response action");
        assertThatThrownBy(() -> OperatorRule.fromJson("{\"name\":\"x\",\"feature\":\"bytes_per_s\",\"value\":1,"
                + "\"profile\":\"../etc\"}")).hasMessageContaining("invalid profile name");
        assertThatThrownBy(() -> OperatorRule.fromJson("not json")).hasMessageContaining("not valid JSON");
    }

    @Test
    void the_name_in_the_path_wins_over_the_body() {
        OperatorRule rule = OperatorRule.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("name", "body").put("feature", "bytes_per_s").put("value", 1), Optional.of("path"));
        assertThat(rule.name()).isEqualTo("path");
    }
}
