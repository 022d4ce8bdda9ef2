package io.palisade.detect;

import java.time.Instant;
import java.util.Optional;

/**
 * One subject's adjustment of one rule by operator feedback, as the API shows it and the store keeps it.
 *
 * @param factor      how many times the rule's own limit the evidence must reach (1 = unchanged)
 * @param silentUntil until when the rule raises nothing for this subject
 */
public record TuningEntry(String subject, String rule, double factor, Optional<Instant> silentUntil) {
}
