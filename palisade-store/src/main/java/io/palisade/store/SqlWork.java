package io.palisade.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of work on a connection, run by {@link Database} inside one transaction. */
@FunctionalInterface
public interface SqlWork<T> {

    T run(Connection connection) throws SQLException;
}
