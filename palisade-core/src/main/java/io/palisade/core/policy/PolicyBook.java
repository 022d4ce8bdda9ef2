package io.palisade.core.policy;

import io.palisade.core.device.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access policies in force, evaluated on every PUBLISH and SUBSCRIBE.
 *
 * <p>Least privilege: every device may publish and subscribe under {@value #OWN_TREE} and its
 * management channel {@value #QUARANTINE_TREE}, and nowhere else unless its profile's or segment's
 * policy allows more. A deny rule that matches (for a
 * subscription: that could match any topic the filter covers) always wins. A quarantined device,
 * or any device of a quarantined segment, is confined to {@value #QUARANTINE_TREE}, whatever its
 * policies say.
 *
 * <p>Policies change at run time ({@link #put}); every later check sees the change.
 */
public final class PolicyBook {

    public static final String OWN_TREE = "devices/{id}/#";
    public static final String QUARANTINE_TREE = "quarantine/{id}/#";

    private final Map<PolicyScope, TopicPolicy> policies = new ConcurrentHashMap<>();
    // Keyed by plain name as well, so the per-packet lookup builds no PolicyScope (whose constructor validates).
    private final Map<String, TopicPolicy> byProfile = new ConcurrentHashMap<>();
    private final Map<String, TopicPolicy> bySegment = new ConcurrentHashMap<>();
    private final Set<String> quarantinedSegments = ConcurrentHashMap.newKeySet();
    /** Bumped after every change, so that a session may keep its recent decisions until the next one. */
    private final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();

    public void put(PolicyScope scope, TopicPolicy policy) {
        policies.put(scope, policy);
        (scope.kind() == PolicyScope.Kind.PROFILE ? byProfile : bySegment).put(scope.name(), policy);
        version.incrementAndGet();
    }

    /**
     * Changes with every {@link #put} and segment quarantine; a decision made at one version holds, for the
     * same device standing, until the version moves (read it before deciding).
     */
    public long version() {
        return version.get();
    }

    public TopicPolicy get(PolicyScope scope) {
        return policies.getOrDefault(scope, TopicPolicy.EMPTY);
    }

    public Map<PolicyScope, TopicPolicy> all() {
        return Map.copyOf(policies);
    }

    public void setSegmentQuarantined(String segment, boolean quarantined) {
        if (quarantined) {
            quarantinedSegments.add(segment);
        } else {
            quarantinedSegments.remove(segment);
        }
        version.incrementAndGet();
    }

    /** The segments quarantined now. */
    public Set<String> quarantinedSegments() {
        return Set.copyOf(quarantinedSegments);
    }

    public boolean isSegmentQuarantined(String segment) {
        return quarantinedSegments.contains(segment);
    }

    public boolean isConfined(Device device) {
        return device.quarantined() || quarantinedSegments.contains(device.segment());
    }

    /**
     * Decides whether {@code device} may {@code action} on {@code topicOrFilter} (a topic name for
     * PUBLISH, a filter for SUBSCRIBE; the caller has checked its syntax).
     */
    public AccessDecision decide(Device device, Action action, String topicOrFilter) {
        if (isConfined(device)) {
            String tree = expand(QUARANTINE_TREE, device);
            return TopicFilters.contains(tree, topicOrFilter)
                    ? AccessDecision.allow(action, topicOrFilter, AccessDecision.QUARANTINE, "quarantine channel")
                    : AccessDecision.deny(action, topicOrFilter, AccessDecision.QUARANTINE, "device " + device.id() + " is quarantined"
                            + (device.quarantined() ? "" : " (segment " + device.segment() + ")")
                            + " and may only " + action.wireName() + " under " + tree);
        }
        List<TopicPolicy> applicable = applicable(device);
        for (TopicPolicy policy : applicable) {
            for (String deny : policy.deny(action)) {
                String filter = expand(deny, device);
                if (TopicFilters.intersects(filter, topicOrFilter)) {
                    return AccessDecision.deny(action, topicOrFilter, deny, action.wireName() + " on '" + topicOrFilter + "' is denied by rule '"
                            + filter + "'");
                }
            }
        }
        if (TopicFilters.contains(expand(OWN_TREE, device), topicOrFilter)) {
            return AccessDecision.allow(action, topicOrFilter, AccessDecision.OWN_TREE, "own tree");
        }
        // The management channel stays open when not confined, so update offers and commands reach a
        // device whatever its standing, and a device never needs to know whether it is quarantined.
        if (TopicFilters.contains(expand(QUARANTINE_TREE, device), topicOrFilter)) {
            return AccessDecision.allow(action, topicOrFilter, AccessDecision.MANAGEMENT, "management channel");
        }
        for (TopicPolicy policy : applicable) {
            for (String allow : policy.allow(action)) {
                if (TopicFilters.contains(expand(allow, device), topicOrFilter)) {
                    return AccessDecision.allow(action, topicOrFilter, allow, "rule '" + allow + "'");
                }
            }
        }
        return AccessDecision.deny(action, topicOrFilter, AccessDecision.DEFAULT_DENY, action.wireName() + " on '" + topicOrFilter + "' is outside what device "
                + device.id() + " may use (" + expand(OWN_TREE, device) + " and its profile's and segment's rules)");
    }

    private List<TopicPolicy> applicable(Device device) {
        List<TopicPolicy> list = new ArrayList<>(2);
        TopicPolicy profile = byProfile.get(device.profile());
        TopicPolicy segment = bySegment.get(device.segment());
        if (profile != null) {
            list.add(profile);
        }
        if (segment != null) {
            list.add(segment);
        }
        return list;
    }

    /** Device ids and segment names cannot contain '/', '+' or '#', so substitution cannot widen a filter. */
    static String expand(String template, Device device) {
        return template.replace("{id}", device.id().value()).replace("{segment}", device.segment());
    }
}
