package io.palisade.store;

import org.junit.jupiter.api.AfterEach;

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

    @AfterEach
    void drop() throws Exception {
        database.close();
        Stores.dropPostgres(url);
    }
}
