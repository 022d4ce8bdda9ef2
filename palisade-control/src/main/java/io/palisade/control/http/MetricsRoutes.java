package io.palisade.control.http;

import io.palisade.control.metrics.PalisadeMetrics;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: Prometheus text exposition, behind the admin token (a scraper sends it as
 * {@code Authorization: Bearer}; in Prometheus, {@code authorization: {credentials_file: .../admin.token}}).
 */
public final class MetricsRoutes {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final PalisadeMetrics metrics;
    private final AdminAuthenticator authenticator;

    public MetricsRoutes(PalisadeMetrics metrics, AdminAuthenticator authenticator) {
        this.metrics = metrics;
        this.authenticator = authenticator;
    }

    public void register(Router router) {
        router.add("GET", "/metrics", authenticator.guard((call, p) -> HttpReply.bytes(200, CONTENT_TYPE,
                metrics.scrape().getBytes(StandardCharsets.UTF_8))), HttpReply::text);
    }
}
