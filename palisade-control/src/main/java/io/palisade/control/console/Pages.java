package io.palisade.control.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import io.palisade.control.http.HttpReply;
import java.util.Map;

/**
 * Renders the precompiled templates into replies carrying the console's browser-facing headers: a
 * Content-Security-Policy that allows scripts, styles, images and connections from this origin only (no inline
 * script or style, no framing, forms post only here), a referrer only within this origin (with none at all, browsers
 * send "Origin: null" on form posts and the same-origin check could not tell them from a foreign page), no framing.
 */
final class Pages {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(null, ContentType.Html, null,
            "io.palisade.control.console");

    HttpReply render(int status, String template, Map<String, Object> parameters) {
        return browserHeaders(HttpReply.bytes(status, "text/html; charset=utf-8",
                fragment(template, parameters).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Renders without a reply, for the pieces the live timeline streams. */
    String fragment(String template, Map<String, Object> parameters) {
        gg.jte.output.StringOutput output = new gg.jte.output.StringOutput();
        engine.render(template, parameters, output);
        return output.toString();
    }

    static HttpReply browserHeaders(HttpReply reply) {
        return reply.withHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .withHeader("X-Frame-Options", "DENY")
                .withHeader("Referrer-Policy", "same-origin");
    }

    /** A 303 to {@code location} (after a form post, so a reload does not post again). */
    static HttpReply redirect(String location) {
        return browserHeaders(HttpReply.text(303, "see " + location).withHeader("Location", location));
    }
}
