package io.palisade.control.siem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.core.secret.SecretBytes;
import io.palisade.pki.TlsContexts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;

/**
 * An HTTPS webhook: each batch is one POST of {@code {"events": [...]}} (JSON records as objects, other
 * formats as strings), delivered when the receiver answers 2xx. The receiver authenticates the batch by
 * {@value #SIGNATURE}: {@code sha256=} and the hex HMAC-SHA256, under the destination's signing key, of
 * {@code TIMESTAMP "." BODY}, where TIMESTAMP is the {@value #TIMESTAMP} header (Unix seconds): binding the
 * time lets a receiver refuse a replayed batch. {@value #DELIVERY} names the first and last event id.
 * A failed batch is read again from the store and sent again, whole.
 */
final class WebhookTransport implements SiemTransport {

    static final String SIGNATURE = "X-Palisade-Signature";
    static final String TIMESTAMP = "X-Palisade-Timestamp";
    static final String DELIVERY = "X-Palisade-Delivery";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Events per POST. */
    static final int MAX_BATCH = 500;

    private final URI url;
    private final HttpClient client;
    private final SecretBytes signingKey;
    private final boolean jsonRecords;
    private final Clock clock;
    private final Duration timeout;
    private long confirmed;

    WebhookTransport(URI url, SSLContext tls, SecretBytes signingKey, boolean jsonRecords, Duration timeout, Clock clock) {
        this.url = url;
        this.client = HttpClient.newBuilder().sslContext(tls).sslParameters(TlsContexts.clientParameters())
                .connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.signingKey = signingKey;
        this.jsonRecords = jsonRecords;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public long deliver(List<Outgoing> records) throws IOException {
        for (int from = 0; from < records.size(); from += MAX_BATCH) {
            List<Outgoing> batch = records.subList(from, Math.min(records.size(), from + MAX_BATCH));
            post(batch);
            confirmed = batch.get(batch.size() - 1).eventId();
        }
        return confirmed;
    }

    private void post(List<Outgoing> batch) throws IOException {
        byte[] body = body(batch);
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header(TIMESTAMP, timestamp)
                .header(SIGNATURE, "sha256=" + sign(timestamp, body))
                .header(DELIVERY, batch.get(0).eventId() + "-" + batch.get(batch.size() - 1).eventId())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while posting to " + url, e);
        }
        if (response.statusCode() / 100 != 2) {
            String text = response.body() == null ? "" : response.body().strip();
            throw new IOException(url + " answered HTTP " + response.statusCode()
                    + (text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text)));
        }
    }

    private byte[] body(List<Outgoing> records) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode events = root.putArray("events");
        for (Outgoing outgoing : records) {
            if (jsonRecords) {
                JsonNode node = JSON.readTree(outgoing.record());
                events.add(node);
            } else {
                events.add(outgoing.record());
            }
        }
        return JSON.writeValueAsBytes(root);
    }

    /** The hex HMAC-SHA256 of {@code timestamp "." body} under {@code key}; receivers recompute it. */
    static String signature(byte[] key, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private String sign(String timestamp, byte[] body) {
        byte[] key = signingKey.copy();
        try {
            return signature(key, timestamp, body);
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }

    /** None: a batch is confirmed by the answer to its POST, or the POST throws. */
    @Override
    public int unconfirmed() {
        return 0;
    }

    /** Nothing to release: Java 17's HttpClient has no close, its connections go with it. */
    @Override
    public void close() {
    }
}
