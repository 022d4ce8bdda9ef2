package io.palisade.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The migrated store behind a connection pool (HikariCP): connections are validated before use and
 * replaced when the database restarts, a caller waits a bounded time for one, and a failure names the
 * pool's state (total, active, idle, waiting) and the database's own error.
 *
 * <p>SQLite gets one connection (it has one writer at a time anyway) in WAL mode with
 * {@code synchronous=FULL}, so a committed transaction survives {@code kill -9} and power loss.
 * PostgreSQL gets a few, so that a transaction stuck behind a lock (the event writer during a long
 * {@code LOCK TABLE}) does not hold up device lookups.
 */
public final class Database implements AutoCloseable {

    /**
     * Flyway and HikariCP narrate every start at INFO through java.util.logging; operators need to hear from
     * them only when something is wrong. Held in fields because JUL keeps loggers (and their levels) weakly.
     */
    private static final java.util.logging.Logger FLYWAY_LOG = quiet(java.util.logging.Logger.getLogger("org.flywaydb"));
    private static final java.util.logging.Logger POOL_LOG = quiet(java.util.logging.Logger.getLogger("com.zaxxer.hikari"));
    static final String POOL_NAME = "palisade-store";
    /** How long a caller waits for a connection before the call fails naming the pool's state. */
    static final Duration CONNECTION_WAIT = Duration.ofSeconds(5);
    private static final int POSTGRESQL_CONNECTIONS = 4;

    private final StoreUrl url;
    private final HikariDataSource pool;

    private Database(StoreUrl url, HikariDataSource pool) {
        this.url = url;
        this.pool = pool;
    }

    /** Opens the database, applying any pending migrations first. */
    public static Database open(StoreUrl url) {
        try {
            if (url.dialect() == StoreUrl.Dialect.SQLITE) {
                java.nio.file.Path file = java.nio.file.Path.of(url.jdbcUrl().substring("jdbc:sqlite:".length()));
                java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
                ownerOnly(file);
            }
            Migrations.apply(url);
            return new Database(url, new HikariDataSource(poolConfig(url)));
        } catch (java.io.IOException | RuntimeException e) {
            throw new StoreException("cannot open store " + url.redacted() + ": " + rootMessage(e), e);
        }
    }

    private static HikariConfig poolConfig(StoreUrl url) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(POOL_NAME);
        config.setJdbcUrl(url.jdbcUrl());
        config.setAutoCommit(false);
        config.setConnectionTimeout(CONNECTION_WAIT.toMillis());
        config.setValidationTimeout(Duration.ofSeconds(3).toMillis());
        config.setKeepaliveTime(Duration.ofSeconds(60).toMillis());
        if (url.dialect() == StoreUrl.Dialect.SQLITE) {
            config.setMaximumPoolSize(1);
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "FULL");
            config.addDataSourceProperty("foreign_keys", "true");
            config.addDataSourceProperty("busy_timeout", "5000");
            // Deleted content is overwritten with zeros, not left in free pages: erasing an RFID record's key or a
            // PSK leaves no copy in the main file (old WAL frames go at the next checkpoint).
            config.addDataSourceProperty("secure_delete", "true");
        } else {
            config.setMaximumPoolSize(POSTGRESQL_CONNECTIONS);
        }
        config.setMinimumIdle(config.getMaximumPoolSize());
        return config;
    }
    /**
     * The database holds token hashes, certificates and the event history: readable by its owner only.
     * SQLite gives its -wal and -shm files the database file's mode, so creating the file 0600 (an empty
     * file is an empty database) covers all three; files of an older data directory are tightened.
     */
    private static void ownerOnly(java.nio.file.Path file) throws java.io.IOException {
        var mode = java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
        if (!java.nio.file.Files.getFileStore(file.toAbsolutePath().getParent())
                .supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
            return;
        }
        if (java.nio.file.Files.notExists(file)) {
            java.nio.file.Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(mode));
        }
        for (String suffix : java.util.List.of("", "-wal", "-shm")) {
            java.nio.file.Path part = java.nio.file.Path.of(file + suffix);
            if (java.nio.file.Files.exists(part)) {
                java.nio.file.Files.setPosixFilePermissions(part, mode);
            }
        }
    }

    private static java.util.logging.Logger quiet(java.util.logging.Logger logger) {
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    public StoreUrl url() {
        return url;
    }

    /**
     * Runs {@code work} in one transaction on a pooled connection: committed when it returns, rolled back
     * when it throws. Waits at most {@link #CONNECTION_WAIT} for a connection.
     */
    public <T> T transaction(String what, SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("store failed to " + what + ": " + rootMessage(e), e);
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    /** The message of {@code e} and, when different, of what caused it (the pool names its state, the driver why). */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String own = String.valueOf(e.getMessage());
        return root == e || root.getMessage() == null || own.contains(root.getMessage())
                ? own : own + " (" + root.getMessage() + ")";
    }

    @Override
    public void close() {
        pool.close();
    }
}
