package io.palisade.core.rollout;

/** A roll-out's own state. HALTED, CANCELLED and COMPLETED are final. */
public enum RolloutState {
    RUNNING,
    /** The current wave met its success threshold; the next one waits for {@code rollout approve}. */
    AWAITING_APPROVAL,
    /** Stopped by an operator; no new wave starts until it is resumed. */
    PAUSED,
    /** Too many failures: stopped for good, devices not yet offered the update never will be. */
    HALTED,
    CANCELLED,
    COMPLETED;

    public boolean isFinal() {
        return this == HALTED || this == CANCELLED || this == COMPLETED;
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public static RolloutState fromWireName(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
}
