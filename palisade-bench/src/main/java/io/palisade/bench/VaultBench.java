package io.palisade.bench;

import io.palisade.control.service.Events;
import io.palisade.control.service.RfidVault;
import io.palisade.core.rfid.RfidToken;
import io.palisade.core.secret.SecretSealer;
import io.palisade.store.Database;
import io.palisade.store.SqlEventStore;
import io.palisade.store.SqlRfidStore;
import io.palisade.store.StoreUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * RFID vault lookups per second, one thread, on SQLite: {@link RfidVault#lookup} (read the row, open the record's
 * sealed key, decrypt the record, append the durable {@code rfid.lookup} event) beside the store's plain read of the
 * same row ({@link SqlRfidStore#find}: no key opened, nothing decrypted, nothing recorded) as the floor: the ratio is
 * what sealing and recording every lookup cost. Also records issued per second.
 */
final class VaultBench {

    private VaultBench() {
    }

    static void run(int records, int lookups) throws Exception {
        System.out.println("== RFID vault: recorded, decrypted lookups vs the store's plain row read ==");
        Path dir = Files.createTempDirectory("palisade-vault-bench");
        try (Database database = Database.open(StoreUrl.sqlite(dir.resolve("bench.db")))) {
            SqlRfidStore store = new SqlRfidStore(database);
            SqlEventStore events = new SqlEventStore(database);
            SecretSealer sealer = new SecretSealer(SecretSealer.newKey());
            RfidVault vault = new RfidVault(store, sealer, new Events(events::append, Clock.systemUTC()),
                    Clock.systemUTC());
            List<RfidToken> tokens = new ArrayList<>(records);
            long start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                tokens.add(vault.issue("pallet " + i + ": lot " + (4000 + i) + ", cold chain, consignee "
                        + "Example Pharma GmbH, dock " + (i % 12), "bench"));
            }
            double issueSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("issue: %,.0f records/s (%,d records)%n", records / issueSeconds, records);
            Random random = new Random(7);
            for (int i = 0; i < Math.min(lookups, 2000); i++) { // warm-up both paths
                RfidToken token = tokens.get(random.nextInt(records));
                vault.lookup(token.hex(), "bench", "127.0.0.1");
                store.find(token);
            }
            start = System.nanoTime();
            for (int i = 0; i < lookups; i++) {
                vault.lookup(tokens.get(random.nextInt(records)).hex(), "bench", "127.0.0.1");
            }
            double vaultRate = lookups / ((System.nanoTime() - start) / 1e9);
            RfidVault unrecorded = new RfidVault(store, sealer, new Events(event -> { }, Clock.systemUTC()),
                    Clock.systemUTC());
            start = System.nanoTime();
            for (int i = 0; i < lookups; i++) {
                unrecorded.lookup(tokens.get(random.nextInt(records)).hex(), "bench", "127.0.0.1");
            }
            double unrecordedRate = lookups / ((System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            for (int i = 0; i < lookups; i++) {
                store.find(tokens.get(random.nextInt(records)));
            }
            double plainRate = lookups / ((System.nanoTime() - start) / 1e9);
            System.out.printf("vault lookup (decrypt + durable rfid.lookup event): %,.0f/s%n", vaultRate);
            System.out.printf("vault lookup, event not stored (where the time goes): %,.0f/s%n", unrecordedRate);
            System.out.printf("plain row read (peer floor):                         %,.0f/s%n", plainRate);
            System.out.printf("ratio vault/plain: %.2fx (%,d lookups over %,d records, one thread, SQLite)%n",
                    vaultRate / plainRate, lookups, records);
        }
    }

}
