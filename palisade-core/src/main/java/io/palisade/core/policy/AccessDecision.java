package io.palisade.core.policy;

/** The outcome of an access check, with the reason an operator reads in the {@code acl.denied} event. */
public record AccessDecision(boolean allowed, String reason) {

    public static AccessDecision allow(String reason) {
        return new AccessDecision(true, reason);
    }

    public static AccessDecision deny(String reason) {
        return new AccessDecision(false, reason);
    }
}
