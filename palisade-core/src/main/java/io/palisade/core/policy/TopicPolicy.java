package io.palisade.core.policy;

import java.util.List;
import java.util.Objects;

/**
 * Topic rules for one scope (a profile or a segment): filters with the placeholders {@code {id}} and
 * {@code {segment}}, allowed and denied separately for publishing and subscribing.
 */
public record TopicPolicy(List<String> publishAllow, List<String> publishDeny, List<String> subscribeAllow,
                          List<String> subscribeDeny) {

    public static final TopicPolicy EMPTY = new TopicPolicy(List.of(), List.of(), List.of(), List.of());

    public TopicPolicy {
        publishAllow = checked(publishAllow, "publish allow");
        publishDeny = checked(publishDeny, "publish deny");
        subscribeAllow = checked(subscribeAllow, "subscribe allow");
        subscribeDeny = checked(subscribeDeny, "subscribe deny");
    }

    public List<String> allow(Action action) {
        return action == Action.PUBLISH ? publishAllow : subscribeAllow;
    }

    public List<String> deny(Action action) {
        return action == Action.PUBLISH ? publishDeny : subscribeDeny;
    }

    /** Maximum rules per list: a policy is read on every packet and must stay small. */
    public static final int MAX_RULES = 100;

    private static List<String> checked(List<String> templates, String what) {
        Objects.requireNonNull(templates, what);
        if (templates.size() > MAX_RULES) {
            throw new IllegalArgumentException(what + " has " + templates.size() + " rules; the limit is " + MAX_RULES);
        }
        for (String template : templates) {
            String sample = template.replace("{id}", "x").replace("{segment}", "x");
            if (!TopicFilters.isValidFilter(sample) || sample.contains("{") || sample.contains("}")) {
                throw new IllegalArgumentException(what + " rule '" + template
                        + "' is not a valid MQTT topic filter (placeholders: {id}, {segment})");
            }
        }
        return List.copyOf(templates);
    }
}
