package io.palisade.store;

import io.palisade.core.operator.Operator;
import io.palisade.core.operator.OperatorStore;
import io.palisade.core.operator.OperatorToken;
import io.palisade.core.operator.Role;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** {@link OperatorStore} on SQL. */
public final class SqlOperatorStore implements OperatorStore {

    private static final String OPERATORS = "SELECT name, role, password_hash, totp_secret, failures, locked_until,"
            + " created_at FROM operators";
    private static final String TOKENS = "SELECT id, operator, hash, label, created_at, expires_at, revoked_at"
            + " FROM operator_tokens";
    private static final HexFormat HEX = HexFormat.of();
    private final Database database;

    public SqlOperatorStore(Database database) {
        this.database = database;
    }

    @Override
    public List<Operator> list() {
        return database.transaction("list operators", c -> {
            try (PreparedStatement select = c.prepareStatement(OPERATORS + " ORDER BY name")) {
                return operators(select);
            }
        });
    }

    @Override
    public Optional<Operator> find(String name) {
        return database.transaction("find operator " + name, c -> {
            try (PreparedStatement select = c.prepareStatement(OPERATORS + " WHERE name = ?")) {
                select.setString(1, name);
                return operators(select).stream().findFirst();
            }
        });
    }

    @Override
    public boolean add(Operator operator) {
        return database.transaction("add operator " + operator.name(), c -> {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM operators WHERE name = ?")) {
                exists.setString(1, operator.name());
                try (ResultSet rows = exists.executeQuery()) {
                    if (rows.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO operators (name, role, password_hash,"
                    + " totp_secret, failures, locked_until, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, operator.name());
                bind(insert, 2, operator);
                insert.setLong(7, operator.created().toEpochMilli());
                insert.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean update(Operator operator) {
        return database.transaction("update operator " + operator.name(), c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE operators SET role = ?, password_hash = ?,"
                    + " totp_secret = ?, failures = ?, locked_until = ? WHERE name = ?")) {
                bind(update, 1, operator);
                update.setString(6, operator.name());
                return update.executeUpdate() > 0;
            }
        });
    }

    /** Binds role, password hash, TOTP secret, failures and lock-out from {@code index} on. */
    private static void bind(PreparedStatement statement, int index, Operator operator) throws SQLException {
        statement.setString(index, operator.role().wireName());
        statement.setString(index + 1, operator.passwordHash());
        statement.setString(index + 2, operator.totpSecret().map(HEX::formatHex).orElse(null));
        statement.setInt(index + 3, operator.failures());
        if (operator.lockedUntil().isPresent()) {
            statement.setLong(index + 4, operator.lockedUntil().get().toEpochMilli());
        } else {
            statement.setNull(index + 4, Types.BIGINT);
        }
    }

    @Override
    public boolean remove(String name) {
        return database.transaction("remove operator " + name, c -> {
            try (PreparedStatement tokens = c.prepareStatement("DELETE FROM operator_tokens WHERE operator = ?");
                 PreparedStatement delete = c.prepareStatement("DELETE FROM operators WHERE name = ?")) {
                tokens.setString(1, name);
                tokens.executeUpdate();
                delete.setString(1, name);
                return delete.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void addToken(OperatorToken token) {
        database.transaction("add a token of operator " + token.operator(), c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO operator_tokens (id, operator, hash, label,"
                    + " created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, NULL)")) {
                insert.setString(1, token.id());
                insert.setString(2, token.operator());
                insert.setString(3, token.hash());
                insert.setString(4, token.label());
                insert.setLong(5, token.created().toEpochMilli());
                insert.setLong(6, token.expires().toEpochMilli());
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<OperatorToken> tokenByHash(String hash) {
        return database.transaction("find an operator token", c -> {
            try (PreparedStatement select = c.prepareStatement(TOKENS + " WHERE hash = ?")) {
                select.setString(1, hash);
                return tokens(select).stream().findFirst();
            }
        });
    }

    @Override
    public List<OperatorToken> tokensOf(String operator) {
        return database.transaction("list the tokens of operator " + operator, c -> {
            try (PreparedStatement select = c.prepareStatement(TOKENS + " WHERE operator = ? ORDER BY created_at")) {
                select.setString(1, operator);
                return tokens(select);
            }
        });
    }

    @Override
    public boolean revokeToken(String id, Instant now) {
        return database.transaction("revoke operator token " + id, c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE operator_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
                update.setLong(1, now.toEpochMilli());
                update.setString(2, id);
                return update.executeUpdate() > 0;
            }
        });
    }

    private static List<Operator> operators(PreparedStatement select) throws SQLException {
        List<Operator> operators = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                long locked = rows.getLong(6);
                Optional<Instant> lockedUntil = rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(locked));
                operators.add(new Operator(rows.getString(1), Role.parse(rows.getString(2)), rows.getString(3),
                        Optional.ofNullable(rows.getString(4)).map(HEX::parseHex), rows.getInt(5), lockedUntil,
                        Instant.ofEpochMilli(rows.getLong(7))));
            }
        }
        return operators;
    }

    private static List<OperatorToken> tokens(PreparedStatement select) throws SQLException {
        List<OperatorToken> tokens = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                long revoked = rows.getLong(7);
                Optional<Instant> revokedAt = rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(revoked));
                tokens.add(new OperatorToken(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        Instant.ofEpochMilli(rows.getLong(5)), Instant.ofEpochMilli(rows.getLong(6)), revokedAt));
            }
        }
        return tokens;
    }
}
