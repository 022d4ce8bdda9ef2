package io.palisade.agent;

import io.palisade.core.rollout.MemberState;

/**
 * Where the agent reports update progress: {@link FleetClient} publishes it on the device's
 * management channel, tests record it. States are the roll-out states a device reports:
 * downloading, staged, installed (confirmed after the trial boot) and failed.
 */
@FunctionalInterface
public interface UpdateReporter {

    void report(MemberState state, String target, String message);
}
