package io.palisade.sim.eval;

import java.util.List;
import java.util.Optional;

/**
 * Area under the ROC curve from scores of attacked (positive) and normal (negative) subjects: the
 * probability that a random attacked subject scores higher than a random normal one, ties counting
 * half (the Mann–Whitney statistic). 1.0 separates perfectly; 0.5 is chance.
 */
final class RocAuc {

    private RocAuc() {
    }

    static Optional<Double> of(List<Double> positives, List<Double> negatives) {
        if (positives.isEmpty() || negatives.isEmpty()) {
            return Optional.empty();
        }
        double wins = 0;
        for (double p : positives) {
            for (double n : negatives) {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        return Optional.of(wins / ((double) positives.size() * negatives.size()));
    }
}
