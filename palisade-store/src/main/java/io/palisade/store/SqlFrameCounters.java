package io.palisade.store;

import io.palisade.core.radio.FrameCounters;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;

/** Radio frame-counter windows in {@code radio_frame_counters}; a batch's windows are saved in one transaction. */
public final class SqlFrameCounters implements FrameCounters {

    private final Database database;

    public SqlFrameCounters(Database database) {
        this.database = database;
    }

    @Override
    public Map<String, Window> loadAll() {
        return database.transaction("load radio frame counters", c -> {
            Map<String, Window> out = new HashMap<>();
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT window_key, highest, seen FROM radio_frame_counters");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    out.put(rows.getString(1), new Window(rows.getLong(2), rows.getLong(3)));
                }
            }
            return out;
        });
    }

    @Override
    public void saveAll(Map<String, Window> windows) {
        database.transaction("save " + windows.size() + " radio frame counters", c -> {
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO radio_frame_counters (window_key, "
                    + "highest, seen) VALUES (?, ?, ?) ON CONFLICT (window_key) DO UPDATE SET highest = "
                    + "EXCLUDED.highest, seen = EXCLUDED.seen")) {
                for (Map.Entry<String, Window> entry : windows.entrySet()) {
                    upsert.setString(1, entry.getKey());
                    upsert.setLong(2, entry.getValue().highest());
                    upsert.setLong(3, entry.getValue().seen());
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
            return null;
        });
    }
}
