package io.palisade.control.console;

import io.palisade.control.http.HttpReply;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The console's static files, read once from the jar: htmx and its SSE extension (from their webjars: no CDN), the
 * stylesheet and the console's own small script. Only the names listed here are served; a browser may keep them an hour.
 */
final class ConsoleAssets {

    private record Asset(String contentType, byte[] bytes) {
    }

    private static final Map<String, String[]> SOURCES = Map.of(
            "htmx.min.js", new String[] {"text/javascript; charset=utf-8",
                    "/META-INF/resources/webjars/htmx.org/2.0.10/dist/htmx.min.js"},
            "sse.js", new String[] {"text/javascript; charset=utf-8",
                    "/META-INF/resources/webjars/htmx-ext-sse/2.2.2/sse.js"},
            "console.css", new String[] {"text/css; charset=utf-8", "/io/palisade/control/console/console.css"},
            "console.js", new String[] {"text/javascript; charset=utf-8", "/io/palisade/control/console/console.js"},
            "favicon.svg", new String[] {"image/svg+xml", "/io/palisade/control/console/favicon.svg"});

    private final Map<String, Asset> assets;

    ConsoleAssets() {
        java.util.HashMap<String, Asset> loaded = new java.util.HashMap<>();
        SOURCES.forEach((name, source) -> loaded.put(name, new Asset(source[0], read(source[1]))));
        this.assets = Map.copyOf(loaded);
    }

    Optional<HttpReply> reply(String name) {
        return Optional.ofNullable(assets.get(name)).map(asset -> Pages.browserHeaders(
                HttpReply.bytes(200, asset.contentType(), asset.bytes())).withHeader("Cache-Control", "max-age=3600"));
    }

    private static byte[] read(String resource) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the console asset " + resource + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
