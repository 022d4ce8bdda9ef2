package io.palisade.sim.eval;

import java.time.Duration;
import java.util.List;

/**
 * What {@code palisade detect eval} runs.
 *
 * @param devices     fleet size (spread over the device classes)
 * @param hours       simulated hours per run
 * @param learning    the detector's learning period (no attack starts before it ends)
 * @param runs        independent runs (different seeds: fleet, timings, targets)
 * @param instances   instances of each scenario per run (for the DDoS flood: devices flooding together)
 * @param scenarios   which attacks to stage
 * @param seed        the first run's seed; run i uses seed + i
 * @param sampleInterval how often the learned model samples each device
 */
public record EvalConfig(int devices, int hours, Duration learning, int runs, int instances, List<Attack> scenarios,
                         long seed, Duration sampleInterval) {

    public EvalConfig {
        scenarios = List.copyOf(scenarios);
        if (devices < 20 || devices > 5000) {
            throw new IllegalArgumentException("--devices must be between 20 and 5000");
        }
        if (runs < 1 || runs > 100 || instances < 1 || instances > 10) {
            throw new IllegalArgumentException("--runs must be 1-100 and --instances 1-10");
        }
        if (learning.isNegative() || learning.toHours() + 4 > hours) {
            throw new IllegalArgumentException("--hours must leave at least 4 hours after the learning period for"
                    + " attacks (learning " + learning.toHours() + " h, hours " + hours + ")");
        }
        if (scenarios.isEmpty()) {
            throw new IllegalArgumentException("at least one scenario");
        }
        long deviceAttacks = scenarios.stream().filter(a -> a.deviceSubject).count();
        if (deviceAttacks * instances + instances > devices / 2) {
            throw new IllegalArgumentException("too many attacked devices for a fleet of " + devices
                    + ": use more --devices or fewer --instances");
        }
    }

    public static EvalConfig defaults() {
        return new EvalConfig(100, 36, Duration.ofHours(24), 5, 2, List.of(Attack.values()), 1, Duration.ofSeconds(30));
    }

    /** Names of the scenarios, for --help. */
    public static List<String> scenarioNames() {
        return java.util.Arrays.stream(Attack.values()).map(a -> a.wireName).toList();
    }

    /** Parses a comma-separated list of scenario names. */
    public static List<Attack> parseScenarios(String names) {
        List<Attack> list = new java.util.ArrayList<>();
        for (String name : names.split(",")) {
            list.add(Attack.byName(name).orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + name
                    + "'; one of " + String.join(", ", scenarioNames()))));
        }
        return list;
    }
}
