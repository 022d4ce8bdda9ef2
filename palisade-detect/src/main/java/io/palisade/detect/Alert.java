package io.palisade.detect;

import io.palisade.core.event.Severity;
import java.time.Instant;
import java.util.Optional;

/**
 * One finding as an operator sees it: what fired, about whom, why, what was done, and the operator's
 * verdict once given.
 *
 * @param subject  the device id, or "address A.B.C.D" before an identity was established
 * @param device   whether the subject is a device
 * @param features the features that drove it, as "name=value, ..."
 */
public record Alert(String id, Instant time, String subject, boolean device, String rule, Severity severity,
                    ResponseAction action, String reason, String features, Optional<AlertVerdict> verdict) {

    Alert withVerdict(AlertVerdict given) {
        return new Alert(id, time, subject, device, rule, severity, action, reason, features, Optional.of(given));
    }
}
