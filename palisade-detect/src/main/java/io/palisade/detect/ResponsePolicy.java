package io.palisade.detect;

import io.palisade.core.event.Severity;
import java.util.Map;

/**
 * Maps a finding to an action: an operator rule's own action, else an override for the rule's name
 * ({@code palisade up --response RULE=ACTION}), else by severity — high and critical quarantine at
 * once (or propose a quarantine for approval when automatic quarantine is off), medium alerts, lower
 * severities are recorded.
 */
final class ResponsePolicy {

    private final boolean autoQuarantine;
    private final Map<String, ResponseAction> overrides;

    ResponsePolicy(boolean autoQuarantine, Map<String, ResponseAction> overrides) {
        this.autoQuarantine = autoQuarantine;
        this.overrides = Map.copyOf(overrides);
    }

    ResponseAction actionFor(Finding finding) {
        if (finding.action().isPresent()) {
            return downgradeIfManual(finding.action().get());
        }
        ResponseAction override = overrides.get(finding.rule());
        if (override != null) {
            return downgradeIfManual(override);
        }
        return byDefault(finding.rule(), finding.severity());
    }

    /** What a rule of this name and severity does by default (with overrides), for listings. */
    ResponseAction byDefault(String rule, Severity severity) {
        ResponseAction override = overrides.get(rule);
        if (override != null) {
            return downgradeIfManual(override);
        }
        if (severity.compareTo(Severity.HIGH) >= 0) {
            return autoQuarantine ? ResponseAction.QUARANTINE : ResponseAction.QUARANTINE_WITH_APPROVAL;
        }
        return severity == Severity.MEDIUM ? ResponseAction.ALERT : ResponseAction.RECORD;
    }

    /** With automatic quarantine off, nothing quarantines or revokes without an operator's approval. */
    private ResponseAction downgradeIfManual(ResponseAction action) {
        if (!autoQuarantine && (action == ResponseAction.QUARANTINE || action == ResponseAction.REVOKE)) {
            return ResponseAction.QUARANTINE_WITH_APPROVAL;
        }
        return action;
    }
}
