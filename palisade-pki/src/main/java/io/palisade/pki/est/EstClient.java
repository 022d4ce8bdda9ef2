package io.palisade.pki.est;

import io.palisade.core.Errors;
import io.palisade.core.device.DeviceId;
import io.palisade.core.secret.SecretBytes;
import io.palisade.pki.TlsContexts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The device side of EST (RFC 7030): fetch CA certificates, enroll with a one-time token over HTTP
 * Basic, re-enroll with the current certificate as TLS client certificate.
 *
 * <p>The private key never leaves the device: only the PKCS#10 request travels.
 */
public final class EstClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;

    /**
     * @param serverUrl  e.g. {@code https://gateway.example:8443}
     * @param sslContext trusts the Palisade CA; holds the device's current identity for re-enrollment
     */
    public EstClient(URI serverUrl, SSLContext sslContext) {
        this.base = serverUrl.resolve("/.well-known/est/");
        this.http = HttpClient.newBuilder()
                .sslContext(sslContext)
                .sslParameters(TlsContexts.clientParameters())
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public List<X509Certificate> caCertificates() throws EstException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("cacerts")).timeout(TIMEOUT).GET().build();
        return CertsOnlyResponses.read(send(request));
    }

    /** Enrolls {@code keys} for {@code id}, authenticated by the one-time {@code token}. */
    public X509Certificate enroll(DeviceId id, SecretBytes token, KeyPair keys) throws EstException {
        HttpRequest request = csrRequest("simpleenroll", id, keys)
                .header("Authorization", basicAuthorization(id, token))
                .build();
        return CertsOnlyResponses.single(send(request), keys);
    }

    /** Re-enrolls with new {@code keys}; the TLS client certificate of this client's context authenticates. */
    public X509Certificate reenroll(DeviceId id, KeyPair keys) throws EstException {
        return CertsOnlyResponses.single(send(csrRequest("simplereenroll", id, keys).build()), keys);
    }

    private HttpRequest.Builder csrRequest(String operation, DeviceId id, KeyPair keys) {
        String body = Base64.getMimeEncoder().encodeToString(Csrs.forDevice(id, keys));
        return HttpRequest.newBuilder(base.resolve(operation))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/pkcs10")
                .header("Content-Transfer-Encoding", "base64")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.US_ASCII));
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws EstException {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new EstException(response.statusCode(), "EST server answered " + response.statusCode()
                        + " to " + request.uri().getPath() + ": " + firstLine(response.body()));
            }
            return response;
        } catch (IOException e) {
            throw new EstException("cannot reach EST server at " + request.uri() + ": " + Errors.rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EstException("interrupted while talking to " + request.uri(), e);
        }
    }

    private static String basicAuthorization(DeviceId id, SecretBytes token) {
        byte[] tokenBytes = token.copy();
        byte[] user = (id.value() + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] credentials = Arrays.copyOf(user, user.length + tokenBytes.length);
        System.arraycopy(tokenBytes, 0, credentials, user.length, tokenBytes.length);
        try {
            return "Basic " + Base64.getEncoder().encodeToString(credentials);
        } finally {
            SecretBytes.wipe(tokenBytes);
            SecretBytes.wipe(credentials);
        }
    }

    private static String firstLine(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    /** Reads certs-only bodies and picks the certificate issued for our key. */
    private static final class CertsOnlyResponses {

        static List<X509Certificate> read(HttpResponse<byte[]> response) throws EstException {
            try {
                return CertsOnly.decode(response.body());
            } catch (IOException e) {
                throw new EstException(e.getMessage(), e);
            }
        }

        static X509Certificate single(HttpResponse<byte[]> response, KeyPair keys) throws EstException {
            for (X509Certificate certificate : read(response)) {
                if (certificate.getPublicKey().equals(keys.getPublic())) {
                    return certificate;
                }
            }
            throw new EstException(response.statusCode(), "EST response holds no certificate for the requested key");
        }
    }
}
