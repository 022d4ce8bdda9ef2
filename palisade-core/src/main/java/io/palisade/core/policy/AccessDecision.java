package io.palisade.core.policy;

import java.util.Map;
import java.util.Objects;

/**
 * The outcome of an access check: what was asked ({@code action} on {@code topic}), which rule decided
 * (a filter as written in a policy, or one of the built-in rules {@value #OWN_TREE}, {@value #MANAGEMENT},
 * {@value #QUARANTINE}, {@value #DEFAULT_DENY}) and the sentence an operator reads in the {@code acl.denied}
 * event. Detection and SIEMs read the structured fields ({@link #details()}), never the sentence.
 */
public record AccessDecision(boolean allowed, Action action, String topic, String rule, String reason) {

    public static final String OWN_TREE = "own-tree";
    public static final String MANAGEMENT = "management-channel";
    public static final String QUARANTINE = "quarantine";
    public static final String DEFAULT_DENY = "default-deny";

    public AccessDecision {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
    }

    public static AccessDecision allow(Action action, String topic, String rule, String reason) {
        return new AccessDecision(true, action, topic, rule, reason);
    }

    public static AccessDecision deny(Action action, String topic, String rule, String reason) {
        return new AccessDecision(false, action, topic, rule, reason);
    }

    /** The decision as an event's details: {@code action}, {@code topic}, {@code rule}, {@code outcome}. */
    public Map<String, String> details() {
        return Map.of("action", action.wireName(), "topic", topic, "rule", rule,
                "outcome", allowed ? "allowed" : "denied");
    }
}
