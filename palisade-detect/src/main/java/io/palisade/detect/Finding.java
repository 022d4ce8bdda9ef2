package io.palisade.detect;

import io.palisade.core.event.Severity;
import java.util.Map;
import java.util.Optional;

/**
 * What a rule concluded: which rule, how bad, why (with the normal range the subject left), the
 * features that drove it, when the evidence started, how far over its limit it is ({@code score}, 1 =
 * at the limit; operator feedback can raise the score a rule needs), and for operator rules their
 * own response action.
 */
record Finding(String rule, Severity severity, String reason, Map<String, Double> features, long evidenceStartNanos,
               double score, Optional<ResponseAction> action) {

    Finding(String rule, Severity severity, String reason, Map<String, Double> features, long evidenceStartNanos,
            double score) {
        this(rule, severity, reason, features, evidenceStartNanos, score, Optional.empty());
    }
}
