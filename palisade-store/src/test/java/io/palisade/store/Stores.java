package io.palisade.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Test databases: a SQLite file in a temp directory, or a fresh database on the PostgreSQL server at
 * 127.0.0.1:5432 (started by .ci/run when absent), dropped afterwards.
 */
final class Stores {

    static final String POSTGRES_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private Stores() {
    }

    static StoreUrl sqlite(Path dir) {
        return StoreUrl.sqlite(dir.resolve("palisade.db"));
    }

    /** Creates an empty PostgreSQL database and returns its store URL. */
    static StoreUrl newPostgres() throws SQLException {
        String name = "palisade_test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(POSTGRES_ADMIN_URL); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return StoreUrl.parse("postgresql://127.0.0.1:5432/" + name + "?user=postgres");
    }

    static void dropPostgres(StoreUrl url) throws SQLException {
        String name = url.jdbcUrl().replaceAll(".*/([a-z0-9_]+)\\?.*", "$1");
        try (Connection c = DriverManager.getConnection(POSTGRES_ADMIN_URL); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
