package io.palisade.store;

import java.nio.file.Path;

/**
 * Where the store lives, as given on the command line: {@code sqlite:PATH} or
 * {@code postgresql://HOST[:PORT]/DB[?user=U&password=P]}.
 */
public record StoreUrl(Dialect dialect, String jdbcUrl) {

    public enum Dialect {
        SQLITE, POSTGRESQL
    }

    public static StoreUrl sqlite(Path file) {
        return new StoreUrl(Dialect.SQLITE, "jdbc:sqlite:" + file.toAbsolutePath());
    }

    public static StoreUrl parse(String url) {
        if (url.startsWith("sqlite:")) {
            return sqlite(Path.of(url.substring("sqlite:".length())));
        }
        if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
            return new StoreUrl(Dialect.POSTGRESQL, "jdbc:postgresql://" + url.substring(url.indexOf("://") + 3));
        }
        throw new IllegalArgumentException("unsupported store URL '" + url
                + "': use sqlite:PATH or postgresql://HOST[:PORT]/DB");
    }

    /** The URL without credentials, for logs. */
    public String redacted() {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?...";
    }
}
