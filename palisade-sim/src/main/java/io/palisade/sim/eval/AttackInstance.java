package io.palisade.sim.eval;

/**
 * One labelled attack in a run: what, against whom, when (virtual nanoseconds from the run's start).
 *
 * @param subject the device id, or the attacker's address
 */
record AttackInstance(Attack attack, String subject, long startNanos, long endNanos) {
}
