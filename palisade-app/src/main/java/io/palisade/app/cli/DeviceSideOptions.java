package io.palisade.app.cli;

import io.palisade.pki.Pem;
import io.palisade.pki.TlsContexts;
import io.palisade.pki.est.EstClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of the device-side commands: where the server is and which CA to trust. */
final class DeviceSideOptions {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--ca", paramLabel = "FILE",
            description = "PEM file with the Palisade CA certificate to trust (default: for renew, the ca.pem written"
                    + " into --out at enrollment; otherwise ca/root.crt in --data).")
    Path caFile;

    /** The trust anchor: never learned from the network, always from a file the operator provided. */
    List<X509Certificate> trustAnchors() {
        return trustAnchors(Optional.empty());
    }

    /**
     * As {@link #trustAnchors()}, but without {@code --ca} a device's own CA file ({@code ca.pem}, written at
     * enrollment from the CA the operator provided then) comes before the data directory, which a device
     * does not have.
     */
    List<X509Certificate> trustAnchors(Optional<List<X509Certificate>> deviceOwn) {
        if (caFile == null && deviceOwn.isPresent() && !deviceOwn.get().isEmpty()) {
            return deviceOwn.get();
        }
        Path file = caFile != null ? caFile : connection.dataDirectory().rootCaFile();
        if (!Files.exists(file)) {
            throw new CliFailure("no CA certificate at " + file
                    + "; pass --ca FILE with the Palisade CA certificate (palisade-data/ca/root.crt on the server)");
        }
        try {
            return Pem.readCertificates(file);
        } catch (IOException e) {
            throw new CliFailure(e.getMessage());
        }
    }

    /**
     * The control plane's public command key, fetched over TLS authenticated by the CA the operator
     * provided; devices pin it to check wipe and reflash commands.
     */
    String commandKeyPem() {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .sslContext(TlsContexts.client(trustAnchors(), Optional.empty()))
                .sslParameters(TlsContexts.clientParameters())
                .connectTimeout(java.time.Duration.ofSeconds(30)).build();
        try {
            var response = http.send(java.net.http.HttpRequest.newBuilder(connection.serverUrl()
                            .resolve(io.palisade.control.http.PkiRoutes.COMMAND_KEY_PATH))
                            .timeout(java.time.Duration.ofSeconds(30)).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new CliFailure("the server did not provide its command key (HTTP " + response.statusCode() + ")");
            }
            Pem.parsePublicKey(response.body(), "the server's command key");
            return response.body();
        } catch (IOException e) {
            throw new CliFailure("cannot fetch the command key: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted while fetching the command key");
        }
    }

    EstClient client(Optional<TlsContexts.ClientIdentity> identity) {
        return client(identity, Optional.empty());
    }

    /** An EST client trusting {@code --ca}, else the device's own CA certificates, else the data directory's. */
    EstClient client(Optional<TlsContexts.ClientIdentity> identity, Optional<List<X509Certificate>> deviceOwn) {
        return new EstClient(connection.serverUrl(), TlsContexts.client(trustAnchors(deviceOwn), identity));
    }
}
