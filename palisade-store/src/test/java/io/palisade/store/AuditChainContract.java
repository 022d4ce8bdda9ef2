package io.palisade.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.audit.ChainSigner;
import io.palisade.core.audit.ChainVerdict;
import io.palisade.core.audit.ChainVerifier;
import io.palisade.core.audit.EventChain;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit chain against direct edits of the database, as someone with write access to it would make them:
 * each edit, deletion, reordering, rewrite and forgery is caught and named by the first event it breaks. Run
 * on each dialect by a subclass.
 */
abstract class AuditChainContract {

    static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");
    static final int EVERY = 10;
    static final int MAX_RUN = EVERY + 5;

    Database database;
    SqlEventStore events;
    ChainSigner signer;

    abstract StoreUrl url() throws Exception;

    @BeforeEach
    void open() throws Exception {
        database = Database.open(url());
        signer = new TestSigner();
        events = new SqlEventStore(database, signer, EVERY);
        for (int i = 1; i <= 35; i++) {
            events.append(SecurityEvent.of(T0.plusSeconds(i), i % 7 == 0 ? EventType.ACL_DENIED : EventType.AUTH_SUCCEEDED,
                    i % 3 == 0 ? Severity.INFO : Severity.MEDIUM, DeviceId.of("d" + i), "10.0.0." + i, "event " + i)
                    .withDetails(Map.of("n", Integer.toString(i))));
        }
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    private ChainVerdict verify() {
        return new ChainVerifier(events, signer, MAX_RUN).verify(0);
    }

    private void sql(String statement) {
        database.transaction("tamper", c -> {
            try (var s = c.createStatement()) {
                return s.executeUpdate(statement);
            }
        });
    }

    @Test
    void an_untouched_chain_verifies_with_a_checkpoint_every_ten_events() {
        ChainVerdict verdict = verify();
        assertThat(verdict.intact()).as(verdict.reason()).isTrue();
        assertThat(verdict.checked()).isEqualTo(35);
        assertThat(verdict.checkpoints()).isEqualTo(3);
        assertThat(verdict.unsignedTail()).isEqualTo(5);
        assertThat(new ChainVerifier(events, signer, MAX_RUN).verify(20).checked()).as("--from 20").isEqualTo(15);
    }

    @Test
    void an_edited_message_breaks_its_own_link() {
        sql("UPDATE events SET message = 'nothing happened' WHERE id = 12");
        assertThat(verify().brokenAt()).contains(12L);
        assertThat(verify().reason()).contains("event 12 does not follow");
    }

    @Test
    void edited_details_a_changed_severity_and_a_moved_time_are_each_caught() {
        sql("UPDATE events SET details = '{\"n\":\"99\"}' WHERE id = 4");
        assertThat(verify().brokenAt()).contains(4L);
        sql("UPDATE events SET details = '{\"n\":\"4\"}' WHERE id = 4");
        assertThat(verify().intact()).isTrue();
        sql("UPDATE events SET severity = 'info' WHERE id = 5");
        assertThat(verify().brokenAt()).contains(5L);
        sql("UPDATE events SET severity = 'medium' WHERE id = 5");
        sql("UPDATE events SET time = time + 1 WHERE id = 6");
        assertThat(verify().brokenAt()).contains(6L);
    }

    @Test
    void a_deleted_row_breaks_the_link_of_the_next() {
        sql("DELETE FROM events WHERE id = 12");
        ChainVerdict verdict = verify();
        assertThat(verdict.brokenAt()).contains(13L);
        assertThat(verdict.reason()).contains("event 13 does not follow the event before it");
    }

    @Test
    void two_rows_swapped_are_caught_at_the_first() {
        sql("UPDATE events SET id = -1 WHERE id = 12");
        sql("UPDATE events SET id = 12 WHERE id = 13");
        sql("UPDATE events SET id = 13 WHERE id = -1");
        assertThat(verify().brokenAt()).contains(12L);
    }

    @Test
    void an_inserted_row_is_caught() {
        sql("INSERT INTO events (id, time, type, severity, device, source, message, details, chain_hash) SELECT 1000,"
                + " time, type, severity, device, source, 'forged', details, chain_hash FROM events WHERE id = 35");
        assertThat(verify().brokenAt()).contains(1000L);
    }

    @Test
    void a_chain_rewritten_with_fresh_links_disagrees_with_the_next_checkpoint() {
        sql("UPDATE events SET message = 'nothing happened' WHERE id = 12");
        relinkFrom(12); // what someone with the database but not the audit key can do
        ChainVerdict verdict = verify();
        assertThat(verdict.brokenAt()).contains(20L);
        assertThat(verdict.reason()).contains("no longer matches the checkpoint");
    }

    @Test
    void deleted_checkpoints_with_a_rewritten_chain_leave_a_run_no_checkpoint_signs() {
        sql("UPDATE events SET message = 'nothing happened' WHERE id = 12");
        relinkFrom(12);
        sql("DELETE FROM event_checkpoints");
        ChainVerdict verdict = verify();
        assertThat(verdict.brokenAt()).contains((long) MAX_RUN + 1);
        assertThat(verdict.reason()).contains("checkpoints were deleted");
    }

    @Test
    void a_forged_checkpoint_is_refused() {
        sql("UPDATE event_checkpoints SET signature = 'MEUCIQDr' WHERE event_id = 20");
        assertThat(verify().reason()).contains("checkpoint at event 20 is not signed");
    }

    @Test
    void deleting_the_newest_events_leaves_a_checkpoint_pointing_past_the_end() {
        sql("DELETE FROM events WHERE id > 25");
        ChainVerdict verdict = verify();
        assertThat(verdict.brokenAt()).contains(30L);
        assertThat(verdict.reason()).contains("event 30, signed in a checkpoint, is missing");
    }

    @Test
    void deleting_the_oldest_events_is_caught() {
        sql("DELETE FROM events WHERE id <= 3");
        assertThat(verify().brokenAt()).contains(4L);
    }

    @Test
    void retention_prunes_with_signed_gap_records_and_the_chain_still_verifies() {
        // by time: the oldest five; by count: then the info events, oldest first, from the middle
        long pruned = events.prune(T0.plusSeconds(6), 22);
        assertThat(pruned).isEqualTo(13);
        ChainVerdict verdict = verify();
        assertThat(verdict.intact()).as(verdict.reason()).isTrue();
        assertThat(verdict.checked()).isEqualTo(22);
        assertThat(verdict.gaps()).isPositive();
        // and the chain goes on after a prune
        events.append(SecurityEvent.of(T0.plusSeconds(100), EventType.CERT_ISSUED, Severity.INFO, null, "ca", "later"));
        assertThat(verify().intact()).isTrue();
        // a gap record is signed: changing the link it vouches for is caught
        sql("UPDATE event_gaps SET previous_hash = '" + HexFormat.of().formatHex(new byte[32]) + "'");
        assertThat(verify().reason()).contains("gap record before event").contains("is not signed");
    }

    @Test
    void a_time_based_checkpoint_signs_the_tip_when_few_events_came() {
        Instant now = Instant.now(); // the store stamps checkpoints with the wall clock
        assertThat(events.checkpointIfDue(now, EVERY, Duration.ofMinutes(10))).as("the last came just now").isEmpty();
        assertThat(events.checkpointIfDue(now.plus(Duration.ofMinutes(11)), EVERY, Duration.ofMinutes(10)))
                .hasValueSatisfying(checkpoint -> assertThat(checkpoint.eventId()).isEqualTo(35));
        assertThat(events.checkpointIfDue(now.plus(Duration.ofMinutes(30)), EVERY, Duration.ofMinutes(10)))
                .as("nothing new since").isEmpty();
        assertThat(verify().unsignedTail()).isZero();
    }

    /** Recomputes every link from {@code fromId} on, as a forger would. */
    private void relinkFrom(long fromId) {
        byte[] previous = events.linkAtOrBefore(fromId - 1).orElse(EventChain.GENESIS);
        for (var row : events.chained(fromId - 1, 1000)) {
            previous = EventChain.link(previous, row.event());
            sql("UPDATE events SET chain_hash = '" + HexFormat.of().formatHex(previous) + "' WHERE id = "
                    + row.event().id());
        }
    }

    /** An ECDSA P-256 signer with a key of its own, as the control plane's audit key is. */
    static final class TestSigner implements ChainSigner {
        private final KeyPair pair;

        TestSigner() throws GeneralSecurityException {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            pair = generator.generateKeyPair();
        }

        @Override
        public byte[] sign(byte[] message) {
            try {
                Signature s = Signature.getInstance("SHA256withECDSA");
                s.initSign(pair.getPrivate());
                s.update(message);
                return s.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean verify(byte[] message, byte[] signature) {
            try {
                Signature s = Signature.getInstance("SHA256withECDSA");
                s.initVerify(pair.getPublic());
                s.update(message);
                return s.verify(signature);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }
    }
}
