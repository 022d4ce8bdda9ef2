package io.palisade.store;

import org.junit.jupiter.api.AfterEach;

/** The same contract on the real PostgreSQL server (127.0.0.1:5432, started by .ci/run when absent). */
class PostgresStoreTest extends StoreContract {

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

    @Override
    int preMergeV1Checksum() {
        return 703747642;
    }
}
