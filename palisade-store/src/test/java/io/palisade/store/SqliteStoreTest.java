package io.palisade.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContract {

    @TempDir
    Path dir;

    @Override
    StoreUrl url() {
        return Stores.sqlite(dir);
    }

    @Override
    int preMergeV1Checksum() {
        return 335926197;
    }
}
