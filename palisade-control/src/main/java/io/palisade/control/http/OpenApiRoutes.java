package io.palisade.control.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.yaml}: the OpenAPI 3.0 description of the REST API, served without a token (it
 * holds nothing that the open source does not). It is checked against real answers in {@code OpenApiIT}.
 */
public final class OpenApiRoutes {

    static final String RESOURCE = "openapi.yaml";

    public void register(Router router) {
        byte[] description = description();
        router.add("GET", AdminApiRoutes.PREFIX + "openapi.yaml",
                (call, p) -> HttpReply.bytes(200, "application/yaml", description), HttpReply::text);
    }

    /** The description as it ships in the jar. */
    public static byte[] description() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the build lost " + RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
