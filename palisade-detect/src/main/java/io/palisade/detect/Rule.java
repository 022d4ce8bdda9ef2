package io.palisade.detect;

import java.util.Optional;

/** One detection rule over a subject's behaviour, evaluated after each observation of that subject. */
interface Rule {

    String name();

    Optional<Finding> evaluate(Subject subject, DeviceBehaviour behaviour, long nowNanos, boolean learning);
}
