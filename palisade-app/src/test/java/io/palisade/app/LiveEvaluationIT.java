package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.app.sim.LiveEvaluation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live evaluation ({@code palisade detect eval --live}) on a small fleet: through the real gateway,
 * every fast attack is detected, every attacking device is quarantined, and no device that only sent
 * telemetry is the subject of a finding. (Times are printed, not asserted: tests do not time.)
 */
class LiveEvaluationIT {

    @TempDir
    Path dir;

    @Test
    void every_fast_attack_is_caught_through_the_real_gateway_and_bystanders_are_left_alone() throws Exception {
        LiveEvaluation.Result result = LiveEvaluation.run(dir.resolve("data"), 8, 1,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        LiveEvaluation.print(result, new PrintStream(table, true, StandardCharsets.UTF_8));
        System.out.println(table.toString(StandardCharsets.UTF_8));

        assertThat(result.rows()).hasSize(LiveEvaluation.Scenario.values().length).allSatisfy(row -> {
            assertThat(row.detected()).as(row.scenario() + " detected").isEqualTo(row.instances());
            if (row.scenario() != LiveEvaluation.Scenario.BRUTE_FORCE) {
                assertThat(row.quarantined()).as(row.scenario() + " quarantined").isEqualTo(row.instances());
            }
        });
        assertThat(result.normalDevices()).isEqualTo(5);
        assertThat(result.falseAlarms()).isZero();
    }
}
