package io.palisade.detect;

import io.palisade.core.event.Severity;
import java.util.Optional;

/** One built-in detection rule over a subject's behaviour, evaluated after each observation of that subject. */
interface Rule {

    String name();

    Severity severity();

    /** What it detects and its limit, for operators ({@code palisade detect rules}). */
    String description();

    Optional<Finding> evaluate(Subject subject, DeviceBehaviour behaviour, long nowNanos, boolean learning);

    /** How close the subject is to firing this rule: 1 at the limit, 0 for nothing at all. */
    double score(DeviceBehaviour behaviour, long nowNanos, boolean learning);
}
