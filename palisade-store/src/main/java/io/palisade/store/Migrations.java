package io.palisade.store;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.output.ValidateResult;

/**
 * The schema's one migration set ({@code db/migration/common}) for both dialects; Flyway placeholders carry
 * the few differences, so a new migration is written once and cannot drift between dialects.
 */
final class Migrations {

    static final String LOCATION = "classpath:db/migration/common";

    /**
     * Checksums recorded for V1 when each dialect still had its own copy of the schema (before the sets were
     * merged). A store created then differs from the merged V1 only in a comment and the placeholder, so
     * exactly these values are re-recorded; any other mismatch is a changed migration and stops the start.
     */
    private static final Set<Integer> V1_BEFORE_MERGE = Set.of(335926197, 703747642);

    private Migrations() {
    }

    static void apply(StoreUrl url) {
        Flyway flyway = Flyway.configure()
                .dataSource(url.jdbcUrl(), null, null)
                .locations(LOCATION)
                .placeholders(placeholders(url.dialect()))
                .load();
        ValidateResult validation = flyway.validateWithResult();
        if (!validation.validationSuccessful && onlyPreMergeV1(flyway, validation)) {
            flyway.repair();
        }
        flyway.migrate();
    }

    static Map<String, String> placeholders(StoreUrl.Dialect dialect) {
        return switch (dialect) {
            case SQLITE -> Map.of("auto_id", "INTEGER PRIMARY KEY AUTOINCREMENT");
            case POSTGRESQL -> Map.of("auto_id", "BIGSERIAL PRIMARY KEY");
        };
    }

    private static boolean onlyPreMergeV1(Flyway flyway, ValidateResult validation) {
        boolean onlyV1 = validation.invalidMigrations != null && !validation.invalidMigrations.isEmpty()
                && validation.invalidMigrations.stream().allMatch(invalid -> "1".equals(invalid.version)
                        && invalid.errorDetails != null
                        && invalid.errorDetails.errorCode == CoreErrorCode.CHECKSUM_MISMATCH);
        return onlyV1 && Arrays.stream(flyway.info().applied())
                .filter(applied -> applied.getVersion() != null && "1".equals(applied.getVersion().getVersion()))
                .anyMatch(applied -> V1_BEFORE_MERGE.contains(applied.getChecksum()));
    }
}
