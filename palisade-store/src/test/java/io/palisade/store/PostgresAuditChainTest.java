package io.palisade.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.audit.ChainVerdict;
import io.palisade.core.audit.ChainVerifier;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The audit chain's tamper tests on the real PostgreSQL server. */
class PostgresAuditChainTest extends AuditChainContract {

    private StoreUrl url;

    @Override
    StoreUrl url() throws Exception {
        if (url == null) {
            url = Stores.newPostgres();
        }
        return url;
    }

    /**
     * Several instances share one PostgreSQL: each appends through a store of its own (its own pool, its own idea of
     * the chain's tip). Their batches interleave, and the chain must still be one unbroken chain.
     */
    @Test
    void two_instances_appending_at_once_keep_one_unbroken_chain() throws Exception {
        try (Database other = Database.open(url())) {
            SqlEventStore otherEvents = new SqlEventStore(other, signer, EVERY);
            ExecutorService writers = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (SqlEventStore store : List.of(events, otherEvents)) {
                    done.add(writers.submit(() -> {
                        for (int batch = 0; batch < 40; batch++) {
                            List<SecurityEvent> events = new ArrayList<>();
                            for (int i = 0; i < 5; i++) {
                                events.add(SecurityEvent.of(T0.plusSeconds(100 + batch), EventType.AUTH_SUCCEEDED,
                                        Severity.INFO, DeviceId.of("w" + i), "10.1.0." + i, "concurrent " + batch));
                            }
                            store.appendAll(events);
                        }
                        return null;
                    }));
                }
                for (Future<?> writer : done) {
                    writer.get();
                }
            } finally {
                writers.shutdown();
            }
            ChainVerdict verdict = new ChainVerifier(events, signer, MAX_RUN).verify(0);
            assertThat(verdict.intact()).as(verdict.reason()).isTrue();
            assertThat(verdict.checked()).isEqualTo(35 + 2 * 40 * 5);
        }
    }

    @AfterEach
    void drop() throws Exception {
        database.close();
        Stores.dropPostgres(url);
    }
}
