package io.palisade.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The audit chain's tamper tests on SQLite, edited with SQL as someone holding the database file would. */
class SqliteAuditChainTest extends AuditChainContract {

    @TempDir
    Path dir;

    @Override
    StoreUrl url() {
        return StoreUrl.sqlite(dir.resolve("events.db"));
    }
}
