package io.palisade.control.service;

import io.palisade.core.cluster.StateChange;
import io.palisade.core.policy.TopicFilters;
import io.palisade.core.policy.Action;
import io.palisade.core.policy.AccessDecision;
import io.palisade.core.device.Device;
import io.palisade.core.device.Names;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import io.palisade.core.policy.PolicyBook;
import io.palisade.core.policy.PolicyScope;
import io.palisade.core.policy.PolicyStore;
import io.palisade.core.policy.TopicPolicy;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Changes topic policies and segment quarantine: stored first, then put into the {@link PolicyBook}
 * that the gateway evaluates on every packet, so a change applies to live sessions at once and
 * survives restarts.
 */
public final class PolicyService {

    private final PolicyStore store;
    private final PolicyBook book;
    private final Events events;
    private final Clock clock;
    /** Told of each change made here (scope or segment), for the other instances. */
    private volatile java.util.function.BiConsumer<StateChange.Kind, String> outbound = (kind, key) -> { };

    public PolicyService(PolicyStore store, PolicyBook book, Events events, Clock clock) {
        this.store = store;
        this.book = book;
        this.events = events;
        this.clock = clock;
    }

    /** Loads the stored policies and quarantined segments into the book (at start). */
    public void load() {
        store.policies().forEach(book::put);
        store.quarantinedSegments().forEach(segment -> book.setSegmentQuarantined(segment, true));
    }

    /** Where changes made here go: the other instances, told which scope or segment to read again. */
    public void publishChangesTo(java.util.function.BiConsumer<StateChange.Kind, String> outbound) {
        this.outbound = java.util.Objects.requireNonNull(outbound, "outbound");
    }

    /**
     * Another instance changed policies or segment quarantine in the shared store: reads both again and brings
     * the book in line, so that the next packet here is decided as it would be there.
     */
    public synchronized void reloadFromStore() {
        Map<PolicyScope, TopicPolicy> stored = store.policies();
        stored.forEach(book::put);
        book.all().keySet().stream().filter(scope -> !stored.containsKey(scope))
                .forEach(scope -> book.put(scope, TopicPolicy.EMPTY));
        java.util.Set<String> quarantined = java.util.Set.copyOf(store.quarantinedSegments());
        quarantined.stream().filter(segment -> !book.isSegmentQuarantined(segment))
                .forEach(segment -> book.setSegmentQuarantined(segment, true));
        book.quarantinedSegments().stream().filter(segment -> !quarantined.contains(segment))
                .forEach(segment -> book.setSegmentQuarantined(segment, false));
    }

    public Map<PolicyScope, TopicPolicy> all() {
        return book.all();
    }

    public synchronized void put(PolicyScope scope, TopicPolicy policy, String actor) {
        String before = describe(scope);
        store.save(scope, policy, clock.instant());
        book.put(scope, policy);
        outbound.accept(StateChange.Kind.POLICY, scope.toString());
        events.change(actor, "policy", scope.toString(), before, describe(scope));
    }

    public synchronized void delete(PolicyScope scope, String actor) throws Refusal {
        String before = describe(scope);
        if (!store.delete(scope)) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "there is no policy for " + scope);
        }
        book.put(scope, TopicPolicy.EMPTY);
        outbound.accept(StateChange.Kind.POLICY, scope.toString());
        events.change(actor, "policy", scope.toString(), before, "none");
    }

    /** The scope's policy as JSON, or {@code none}. */
    private String describe(PolicyScope scope) {
        TopicPolicy policy = book.all().get(scope);
        return policy == null || policy.equals(TopicPolicy.EMPTY) ? "none"
                : io.palisade.core.policy.TopicPolicyJson.toJson(policy).toString();
    }

    public synchronized void setSegmentQuarantined(String segment, boolean quarantined, String actor,
                                                   Optional<String> reason)
            throws Refusal {
        try {
            Names.requireValid("segment", segment);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
        if (book.isSegmentQuarantined(segment) == quarantined) {
            throw new Refusal(Refusal.Kind.CONFLICT, "segment " + segment + " is "
                    + (quarantined ? "already quarantined" : "not quarantined"));
        }
        store.setSegmentQuarantined(segment, quarantined, clock.instant());
        book.setSegmentQuarantined(segment, quarantined);
        outbound.accept(StateChange.Kind.SEGMENT, segment);
        events.emit(events.event(quarantined ? EventType.DEVICE_QUARANTINED : EventType.DEVICE_RELEASED,
                        quarantined ? Severity.HIGH : Severity.INFO, null, actor,
                        "segment " + segment + (quarantined ? " quarantined" : " released from quarantine")
                                + reason.map(r -> ": " + r).orElse(""))
                .withDetail("segment", segment));
    }

    /**
     * What the gateway decides right now for {@code device} doing {@code action} on {@code topic} (a topic name
     * to publish to, a filter to subscribe to), and the rule that decided; a malformed topic is refused as the
     * gateway refuses it.
     */
    public AccessDecision test(Device device, Action action, String topic) throws Refusal {
        boolean valid = action == Action.PUBLISH ? TopicFilters.isValidTopicName(topic) : TopicFilters.isValidFilter(topic);
        if (!valid) {
            throw new Refusal(Refusal.Kind.MALFORMED, "'" + topic + "' is not a valid MQTT "
                    + (action == Action.PUBLISH ? "topic name (no wildcards)" : "topic filter"));
        }
        return book.decide(device, action, topic);
    }

    public boolean isSegmentQuarantined(String segment) {
        return book.isSegmentQuarantined(segment);
    }
}
