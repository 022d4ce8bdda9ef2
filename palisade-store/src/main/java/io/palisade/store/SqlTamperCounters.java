package io.palisade.store;

import io.palisade.core.device.DeviceId;
import io.palisade.core.tamper.TamperCounters;
import java.sql.PreparedStatement;
import java.time.Instant;

/**
 * {@code tamper_counters}: one conditional upsert, so checking and recording a counter is one atomic
 * statement on SQLite and PostgreSQL alike (no read-then-write race between two control planes).
 */
public final class SqlTamperCounters implements TamperCounters {

    private final Database database;

    public SqlTamperCounters(Database database) {
        this.database = database;
    }

    @Override
    public boolean advance(DeviceId device, long counter, Instant now) {
        return database.transaction("record tamper report " + counter + " of " + device, c -> {
            try (PreparedStatement upsert = c.prepareStatement(
                    "INSERT INTO tamper_counters (device, counter, updated_at) VALUES (?, ?, ?)"
                            + " ON CONFLICT (device) DO UPDATE SET counter = excluded.counter,"
                            + " updated_at = excluded.updated_at WHERE tamper_counters.counter < excluded.counter")) {
                upsert.setString(1, device.value());
                upsert.setLong(2, counter);
                upsert.setLong(3, now.toEpochMilli());
                return upsert.executeUpdate() == 1;
            }
        });
    }
}
