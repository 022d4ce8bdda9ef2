package io.palisade.firmware.tuf;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A repository over HTTP(S): {@code BASE/metadata/NAME} and {@code BASE/targets/PATH}. Bodies are read
 * up to the limit plus one byte and no further, so an endless response costs at most the limit.
 */
public final class HttpRepository implements Repository {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;

    /** @param base e.g. {@code https://gateway:8443/tuf/}; {@code http} carries the TLS trust to use */
    public HttpRepository(URI base, HttpClient http) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.http = http;
    }

    @Override
    public Optional<byte[]> metadata(String name, long maxBytes) throws IOException {
        return get(base.resolve("metadata/" + name), maxBytes);
    }

    @Override
    public byte[] target(String path, long maxBytes) throws IOException {
        return get(base.resolve("targets/" + path), maxBytes)
                .orElseThrow(() -> new IOException("the repository has no target " + path));
    }

    private Optional<byte[]> get(URI uri, long maxBytes) throws IOException {
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted fetching " + uri, e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered HTTP " + response.statusCode());
            }
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new IOException(uri + " sent more than the " + maxBytes + " bytes allowed");
            }
            return Optional.of(bytes);
        }
    }
}
