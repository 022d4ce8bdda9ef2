package io.palisade.control.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.detection.DetectionStore;
import io.palisade.store.Database;
import io.palisade.store.SqlDetectionStore;
import io.palisade.store.StoreUrl;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proposal writes during a store outage (a real SQLite store behind a switch that makes it fail as a lost
 * PostgreSQL connection does): nothing is thrown at the detector, and once the store answers it holds exactly
 * the proposals still waiting.
 */
class ProposalKeeperTest {

    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    @TempDir
    Path dir;

    private Database database;
    private SwitchableStore store;
    private ProposalKeeper keeper;

    @BeforeEach
    void open() {
        database = Database.open(StoreUrl.sqlite(dir.resolve("test.db")));
        store = new SwitchableStore(new SqlDetectionStore(database));
        keeper = new ProposalKeeper(store);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void writes_at_once_while_the_store_answers() {
        keeper.changed("pr-1", Optional.of(proposal("pr-1", "d-1")));
        assertThat(ids()).containsExactly("pr-1");
        keeper.changed("pr-1", Optional.empty());
        assertThat(ids()).isEmpty();
        assertThat(keeper.retry()).isZero();
    }

    @Test
    void what_the_store_refused_is_written_in_order_once_it_answers() {
        keeper.changed("pr-0", Optional.of(proposal("pr-0", "d-0")));
        store.away = true;
        keeper.changed("pr-1", Optional.of(proposal("pr-1", "d-1")));
        keeper.changed("pr-2", Optional.of(proposal("pr-2", "d-2")));
        keeper.changed("pr-0", Optional.empty()); // settled during the outage
        keeper.changed("pr-2", Optional.empty()); // proposed and settled during the outage
        assertThat(keeper.retry()).as("still away: all owed").isEqualTo(3);
        store.away = false;
        assertThat(ids()).as("nothing written while away").containsExactly("pr-0");
        assertThat(keeper.retry()).isZero();
        assertThat(ids()).containsExactly("pr-1");
        keeper.changed("pr-3", Optional.of(proposal("pr-3", "d-3")));
        assertThat(ids()).as("written at once again").containsExactly("pr-1", "pr-3");
    }

    private List<String> ids() {
        return store.proposals().stream().map(DetectionStore.Proposal::id).toList();
    }

    private static DetectionStore.Proposal proposal(String id, String device) {
        return new DetectionStore.Proposal(id, T0, device, "acl_denials", "denied 30 times", "al-" + id);
    }

    /** The real store, or failing as the JDBC driver does when PostgreSQL is away. */
    private static final class SwitchableStore implements DetectionStore {
        private final DetectionStore real;
        volatile boolean away;

        SwitchableStore(DetectionStore real) {
            this.real = real;
        }

        private DetectionStore real() {
            if (away) {
                throw new IllegalStateException("An I/O error occurred while sending to the backend.");
            }
            return real;
        }

        @Override public Map<String, String> rules() { return real().rules(); }
        @Override public void saveRule(String name, String json, Instant now) { real().saveRule(name, json, now); }
        @Override public boolean deleteRule(String name) { return real().deleteRule(name); }
        @Override public List<Adjustment> adjustments() { return real().adjustments(); }
        @Override public void saveAdjustment(Adjustment a, Instant now) { real().saveAdjustment(a, now); }
        @Override public List<Proposal> proposals() { return real().proposals(); }
        @Override public void saveProposal(Proposal proposal) { real().saveProposal(proposal); }
        @Override public void deleteProposal(String id) { real().deleteProposal(id); }
    }
}
