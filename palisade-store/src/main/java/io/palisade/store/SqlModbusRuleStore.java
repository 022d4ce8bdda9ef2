package io.palisade.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.modbus.ModbusRule;
import io.palisade.core.modbus.ModbusRuleStore;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link ModbusRuleStore} on SQL; each rule is stored as its API JSON. */
public final class SqlModbusRuleStore implements ModbusRuleStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Database database;

    public SqlModbusRuleStore(Database database) {
        this.database = database;
    }

    @Override
    public List<ModbusRule> list() {
        return database.transaction("load Modbus rules", c -> {
            List<ModbusRule> rules = new ArrayList<>();
            try (PreparedStatement query = c.prepareStatement("SELECT name, body FROM modbus_rules ORDER BY name");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    try {
                        rules.add(ModbusRule.fromJson(rows.getString(1), JSON.readTree(rows.getString(2))));
                    } catch (IOException | IllegalArgumentException e) {
                        throw new IllegalStateException("the stored Modbus rule " + rows.getString(1)
                                + " cannot be read: " + e.getMessage(), e);
                    }
                }
            }
            return rules;
        });
    }

    @Override
    public void put(ModbusRule rule, Instant now) {
        database.transaction("save Modbus rule " + rule.name(), c -> {
            delete(c, rule.name());
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO modbus_rules (name, body, updated_at) VALUES (?, ?, ?)")) {
                insert.setString(1, rule.name());
                insert.setString(2, rule.toJson().toString());
                insert.setLong(3, now.toEpochMilli());
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean delete(String name) {
        return database.transaction("delete Modbus rule " + name, c -> delete(c, name) > 0);
    }

    private static int delete(java.sql.Connection c, String name) throws java.sql.SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM modbus_rules WHERE name = ?")) {
            delete.setString(1, name);
            return delete.executeUpdate();
        }
    }
}
