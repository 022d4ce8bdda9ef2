package io.palisade.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.control.http.DeviceAttestationRoutes;
import io.palisade.pki.Pem;
import io.palisade.pki.TlsContexts;
import io.palisade.pki.tpm.TpmAttestationKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The attestation step of {@code palisade device enroll --tpm}: with the certificate just issued (mutual TLS, the
 * key in the TPM), ask for a challenge, quote, and send the quote; the server pins the attestation key and checks
 * the boot measurements before the device first connects. A profile without expected values has nothing to
 * attest: the key is then pinned at the first connect.
 */
final class EnrollmentAttestation {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private EnrollmentAttestation() {
    }

    /** Answers one sentence for the user; throws {@link CliFailure} when the server refused the quote. */
    static String run(URI server, List<X509Certificate> trustAnchors, TlsContexts.ClientIdentity identity,
                      TpmAttestationKey key) {
        HttpClient http = HttpClient.newBuilder().sslContext(TlsContexts.client(trustAnchors, Optional.of(identity)))
                .sslParameters(TlsContexts.clientParameters()).connectTimeout(TIMEOUT).build();
        try {
            HttpResponse<String> challenge = post(http, server.resolve(DeviceAttestationRoutes.CHALLENGE), "{}");
            if (challenge.statusCode() == 409) {
                return "attestation: " + error(challenge) + " (the attestation key is pinned at the first quote)";
            }
            if (challenge.statusCode() != 200) {
                throw new CliFailure("enrolled, but the attestation challenge failed: " + error(challenge));
            }
            JsonNode body = JSON.readTree(challenge.body());
            List<Integer> pcrs = new ArrayList<>();
            body.path("pcrs").forEach(pcr -> pcrs.add(pcr.asInt()));
            TpmAttestationKey.Quote quote = key.quote(HexFormat.of().parseHex(body.path("nonce").asText()), pcrs);
            ObjectNode answer = JSON.createObjectNode().put("ak", Pem.encode(key.publicKey()))
                    .put("quote", Base64.getEncoder().encodeToString(quote.quote()))
                    .put("signature", Base64.getEncoder().encodeToString(quote.signature()));
            ObjectNode values = answer.putObject("pcrs");
            quote.pcrs().forEach((pcr, value) -> values.put(Integer.toString(pcr), HexFormat.of().formatHex(value)));
            HttpResponse<String> result = post(http, server.resolve(DeviceAttestationRoutes.QUOTE), answer.toString());
            if (result.statusCode() != 200) {
                throw new CliFailure("enrolled, but " + error(result));
            }
            return "attestation passed: the TPM quoted the expected PCR values " + pcrs;
        } catch (IOException e) {
            throw new CliFailure("enrolled, but the attestation failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted during attestation");
        }
    }

    private static HttpResponse<String> post(HttpClient http, URI uri, String json) throws IOException,
            InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body()).path("error").asText("HTTP " + response.statusCode());
        } catch (IOException e) {
            return "HTTP " + response.statusCode();
        }
    }
}
