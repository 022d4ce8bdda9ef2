package io.palisade.core.detection;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Durable detection state: operator rules by name, feedback adjustments by subject and rule, and
 * quarantines waiting for approval.
 */
public interface DetectionStore {

    /** A feedback adjustment: the factor on a rule's limit for a subject, and until when it is silent. */
    record Adjustment(String subject, String rule, double factor, Optional<Instant> silentUntil) {
    }

    /** Rule definitions (JSON) by name. */
    Map<String, String> rules();

    void saveRule(String name, String definitionJson, Instant now);

    boolean deleteRule(String name);

    List<Adjustment> adjustments();

    void saveAdjustment(Adjustment adjustment, Instant now);

    /** A quarantine proposed for approval. */
    record Proposal(String id, Instant created, String device, String rule, String reason, String alertId) {
    }

    /** Proposals waiting, oldest first. */
    List<Proposal> proposals();

    void saveProposal(Proposal proposal);

    void deleteProposal(String id);
}
