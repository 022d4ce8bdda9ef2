package io.palisade.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.palisade.app.client.ApiClient;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.Pem;
import io.palisade.pki.TlsContexts;
import io.palisade.pki.est.Csrs;
import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * An operator's tunnel credentials: a P-256 key made here and never sent, and a one-hour certificate for it from the
 * API (asked with the operator's token), renewed when less than {@link #RENEW_BEFORE} of it is left. The CA the
 * certificate chains to is trusted for the tunnel listener: it came over the API connection the CLI already verified.
 */
final class OperatorTunnelCredentials implements Supplier<SSLContext> {

    static final Duration RENEW_BEFORE = Duration.ofMinutes(10);

    private final ApiClient api;
    private final KeyPair keys = KeyPairs.newP256();
    private SSLContext context;
    private Instant expires = Instant.EPOCH;

    OperatorTunnelCredentials(ApiClient api) {
        this.api = api;
    }

    @Override
    public synchronized SSLContext get() {
        if (Instant.now().isAfter(expires.minus(RENEW_BEFORE))) {
            renew();
        }
        return context;
    }

    private void renew() {
        String csr = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(Csrs.forName("tunnel", keys)) + "\n-----END CERTIFICATE REQUEST-----\n";
        JsonNode answer = api.post("overlay/certificate", ApiClient.object().put("csr", csr));
        List<X509Certificate> chain;
        try {
            chain = Pem.parseCertificates(answer.path("certificate").asText(), "the API's answer");
        } catch (IOException e) {
            throw new IllegalStateException("the tunnel certificate cannot be read: " + e.getMessage(), e);
        }
        if (chain.size() < 2) {
            throw new IllegalStateException("the API answered without the CA chain");
        }
        X509Certificate root = chain.get(chain.size() - 1);
        context = TlsContexts.client(List.of(root), Optional.of(new TlsContexts.ClientIdentity(keys.getPrivate(),
                chain.subList(0, chain.size() - 1))));
        expires = chain.get(0).getNotAfter().toInstant();
    }
}
