package io.palisade.detect;

import io.palisade.core.event.Severity;
import java.util.Map;

/**
 * What a rule concluded: which rule, how bad, why (with the normal range the subject left), the
 * features that drove it, and when the evidence started.
 */
record Finding(String rule, Severity severity, String reason, Map<String, Double> features, long evidenceStartNanos) {
}
