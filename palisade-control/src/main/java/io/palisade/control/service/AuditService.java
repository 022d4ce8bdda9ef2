package io.palisade.control.service;

import io.palisade.core.audit.ChainSigner;
import io.palisade.core.audit.ChainVerdict;
import io.palisade.core.audit.ChainVerifier;
import io.palisade.core.audit.EventChainStore;
import io.palisade.core.event.AsyncEventSink;
import java.time.Clock;
import java.time.Duration;

/**
 * The audit trail's upkeep and checks: a checkpoint at least every {@value #CHECKPOINT_EVERY} events (the store
 * writes it with the events) or every {@link #CHECKPOINT_INTERVAL} when fewer came, and the verification that
 * {@code palisade audit verify} asks for.
 */
public final class AuditService {

    private static final System.Logger LOG = System.getLogger(AuditService.class.getName());
    /** Events between two checkpoints at most (give or take one write batch). */
    public static final long CHECKPOINT_EVERY = 1000;
    /** Time between two checkpoints at most, when events are few. */
    public static final Duration CHECKPOINT_INTERVAL = Duration.ofMinutes(10);
    public static final long CHECKPOINT_CHECK_SECONDS = 30;

    private final EventChainStore store;
    private final ChainSigner signer;
    private final Clock clock;

    public AuditService(EventChainStore store, ChainSigner signer, Clock clock) {
        this.store = store;
        this.signer = signer;
        this.clock = clock;
    }

    /** Signs a checkpoint when one is due by time; a store outage is logged, and the next pass retries. */
    public void checkpointIfDue() {
        try {
            store.checkpointIfDue(clock.instant(), CHECKPOINT_EVERY, CHECKPOINT_INTERVAL);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "could not checkpoint the audit chain: " + e.getMessage());
        }
    }

    /** Verifies the stored events after {@code afterId} (0 for all). */
    public ChainVerdict verify(long afterId) {
        return new ChainVerifier(store, signer, CHECKPOINT_EVERY + AsyncEventSink.MAX_BATCH).verify(afterId);
    }
}
