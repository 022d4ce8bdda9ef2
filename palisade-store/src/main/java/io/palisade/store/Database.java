package io.palisade.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;

/**
 * One migrated database connection, used one transaction at a time.
 *
 * <p>A single connection is the right shape for SQLite (one writer at a time anyway) and is
 * enough for the control plane's write rates; the scale-out profile can put a pool behind this
 * same class. SQLite runs in WAL mode with {@code synchronous=FULL}, so a committed transaction
 * survives {@code kill -9} and power loss.
 */
public final class Database implements AutoCloseable {

    /**
     * Flyway narrates every start at INFO through java.util.logging; operators need to hear from it only
     * when something is wrong. Held in a field because JUL keeps loggers (and their levels) weakly.
     */
    private static final java.util.logging.Logger FLYWAY_LOG = quiet(java.util.logging.Logger.getLogger("org.flywaydb"));

    private final StoreUrl url;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    private Database(StoreUrl url, Connection connection) {
        this.url = url;
        this.connection = connection;
    }

    /** Opens the database, applying any pending migrations first. */
    public static Database open(StoreUrl url) {
        try {
            if (url.dialect() == StoreUrl.Dialect.SQLITE) {
                java.nio.file.Path file = java.nio.file.Path.of(url.jdbcUrl().substring("jdbc:sqlite:".length()));
                java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
                ownerOnly(file);
            }
            Flyway.configure()
                    .dataSource(url.jdbcUrl(), null, null)
                    .locations(url.dialect().migrationLocation())
                    .load()
                    .migrate();
            Connection connection = DriverManager.getConnection(url.jdbcUrl());
            if (url.dialect() == StoreUrl.Dialect.SQLITE) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("PRAGMA journal_mode=WAL");
                    statement.execute("PRAGMA synchronous=FULL");
                    statement.execute("PRAGMA foreign_keys=ON");
                    statement.execute("PRAGMA busy_timeout=5000");
                }
            }
            connection.setAutoCommit(false);
            return new Database(url, connection);
        } catch (SQLException | java.io.IOException | RuntimeException e) {
            throw new StoreException("cannot open store " + url.redacted(), e);
        }
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

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T transaction(String what, SqlWork<T> work) {
        lock.lock();
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException e) {
            rollbackQuietly(e);
            throw new StoreException("store failed to " + what, e);
        } catch (RuntimeException e) {
            rollbackQuietly(e);
            throw e;
        } finally {
            lock.unlock();
        }
    }

    private void rollbackQuietly(Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close store " + url.redacted(), e);
        } finally {
            lock.unlock();
        }
    }
}
