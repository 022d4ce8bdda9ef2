package io.palisade.control.service;

import io.palisade.core.detection.DetectionStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the store's copy of the quarantine proposals waiting for approval in step with the detector's. The
 * detector holds them in memory, so approval works while the store is away; what could not be written then
 * (a save or a delete) is remembered, in order, and written by {@link #retry()} once the store is back, so a
 * restart after the outage neither forgets a proposal nor brings back a settled one.
 */
final class ProposalKeeper {

    private static final System.Logger LOG = System.getLogger(ProposalKeeper.class.getName());

    private final DetectionStore store;
    /** Proposal id → the write still owed: the proposal to save, or empty for a delete. */
    private final Map<String, Optional<DetectionStore.Proposal>> owed = new LinkedHashMap<>();

    ProposalKeeper(DetectionStore store) {
        this.store = store;
    }

    /** A proposal was added ({@code proposal} present) or settled; writes it now or owes the write. */
    void changed(String id, Optional<DetectionStore.Proposal> proposal) {
        synchronized (owed) {
            if (!owed.isEmpty()) {
                owed.remove(id); // keep the order of writes per id: the newest wins, after the older ones of others
                owed.put(id, proposal);
                return;
            }
        }
        try {
            write(id, proposal);
        } catch (RuntimeException storeAway) {
            synchronized (owed) {
                owed.put(id, proposal);
            }
            LOG.log(System.Logger.Level.WARNING, "quarantine proposal " + id + " could not be "
                    + (proposal.isPresent() ? "stored" : "removed from the store") + " (" + storeAway.getMessage()
                    + "); it stays in memory and the store is written when it answers again");
        }
    }

    /** Writes what is owed, oldest first, until the store fails again; returns how many writes remain owed. */
    int retry() {
        while (true) {
            Map.Entry<String, Optional<DetectionStore.Proposal>> next;
            synchronized (owed) {
                if (owed.isEmpty()) {
                    return 0;
                }
                next = owed.entrySet().iterator().next();
            }
            try {
                write(next.getKey(), next.getValue());
            } catch (RuntimeException stillAway) {
                synchronized (owed) {
                    return owed.size();
                }
            }
            synchronized (owed) {
                owed.remove(next.getKey(), next.getValue());
            }
            LOG.log(System.Logger.Level.INFO, "quarantine proposal " + next.getKey() + " written to the store after an outage");
        }
    }

    private void write(String id, Optional<DetectionStore.Proposal> proposal) {
        if (proposal.isPresent()) {
            store.saveProposal(proposal.get());
        } else {
            store.deleteProposal(id);
        }
    }
}
