package io.palisade.core.policy;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** Durable topic policies and segment quarantine, loaded into a {@link PolicyBook} at start. */
public interface PolicyStore {

    Map<PolicyScope, TopicPolicy> policies();

    void save(PolicyScope scope, TopicPolicy policy, Instant now);

    /** Returns false when there was no policy for the scope. */
    boolean delete(PolicyScope scope);

    Set<String> quarantinedSegments();

    void setSegmentQuarantined(String segment, boolean quarantined, Instant now);
}
