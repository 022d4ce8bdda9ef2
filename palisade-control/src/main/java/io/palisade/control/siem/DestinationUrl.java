package io.palisade.control.siem;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * A SIEM destination's URL: a syslog receiver ({@link SyslogAddress}) or an HTTPS webhook
 * ({@code https://HOST[:PORT]/PATH}, no user information). Anything else is refused with the schemes that work.
 */
record DestinationUrl(Optional<SyslogAddress> syslogAddress, Optional<URI> webhookUri) {

    static DestinationUrl parse(String url) {
        String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://")) {
            try {
                URI uri = new URI(url);
                if (uri.getHost() == null || uri.getHost().isEmpty() || uri.getUserInfo() != null) {
                    throw new IllegalArgumentException("a webhook URL is https://HOST[:PORT]/PATH, got '" + url + "'");
                }
                return new DestinationUrl(Optional.empty(), Optional.of(uri));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a URL: '" + url + "' (" + e.getReason() + ")");
            }
        }
        if (lower.startsWith("syslog+")) {
            return new DestinationUrl(Optional.of(SyslogAddress.parse(url)), Optional.empty());
        }
        throw new IllegalArgumentException("unknown SIEM URL '" + url + "'; use syslog+tls://HOST:PORT,"
                + " syslog+tcp://HOST:PORT, syslog+udp://HOST:PORT or https://HOST/PATH");
    }

    boolean webhook() {
        return webhookUri.isPresent();
    }

    URI uri() {
        return webhookUri.orElseThrow();
    }

    SyslogAddress syslog() {
        return syslogAddress.orElseThrow();
    }
}
