package io.palisade.app.cli;

import io.palisade.control.ControlPlane;
import io.palisade.control.ControlPlaneConfig;
import io.palisade.control.DataDirectory;
import io.palisade.control.service.FailureLimiter;
import io.palisade.core.Errors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code palisade up}: starts everything in one process and runs until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start Palisade: CA, EST enrollment, REST API and event store in one process."
                + " The first start creates the CA, server certificate and admin token under --data.")
public final class UpCommand implements Runnable {

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "palisade-data",
            description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--https-port", paramLabel = "PORT", defaultValue = "8443",
            description = "HTTPS port for EST, the REST API and the CRL (default: ${DEFAULT-VALUE}).")
    int httpsPort;

    @Option(names = "--hostname", paramLabel = "NAME",
            description = "Extra DNS name or IP address for the server certificate (repeatable); localhost,"
                    + " 127.0.0.1 and ::1 are always included.")
    List<String> hostNames = new ArrayList<>();

    @Option(names = "--store", paramLabel = "URL",
            description = "sqlite:PATH or postgresql://HOST[:PORT]/DB (default: sqlite in the data directory).")
    String store;

    @Option(names = "--device-cert-lifetime", paramLabel = "DURATION", defaultValue = "24h",
            converter = DurationConverter.class,
            description = "Lifetime of device certificates, e.g. 24h (default: ${DEFAULT-VALUE}).")
    Duration deviceCertLifetime;

    @Option(names = "--failure-burst", paramLabel = "N", defaultValue = "" + FailureLimiter.DEFAULT_BURST,
            description = "Failed requests one address may make in a burst before it is slowed down"
                    + " (default: ${DEFAULT-VALUE}).")
    int failureBurst;

    @Option(names = "--failures-per-minute", paramLabel = "N", defaultValue = "" + FailureLimiter.DEFAULT_PER_MINUTE,
            description = "Failed requests per minute one address may make after the burst (default: ${DEFAULT-VALUE}).")
    int failuresPerMinute;

    @Override
    public void run() {
        ControlPlaneConfig config;
        try {
            config = new ControlPlaneConfig(data, bind, httpsPort, hostNames, Optional.ofNullable(store),
                    deviceCertLifetime, failureBurst, failuresPerMinute);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage());
        }
        ControlPlane plane;
        try {
            plane = ControlPlane.start(config, Clock.systemUTC());
        } catch (IOException e) {
            throw new CliFailure("cannot start: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            throw new CliFailure("cannot start: " + describe(e));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Palisade ...");
            plane.close();
            stopped.countDown();
        }, "palisade-shutdown"));
        DataDirectory dir = new DataDirectory(data);
        recordServerUrl(dir, plane.httpsPort());
        printBanner(dir, plane);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void recordServerUrl(DataDirectory dir, int port) {
        String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
        String authority = host.contains(":") ? "[" + host + "]" : host;
        try {
            Files.writeString(dir.root().resolve("server.url"), "https://" + authority + ":" + port + "\n",
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            System.err.println("palisade: warning: cannot record server URL: " + e.getMessage());
        }
    }

    private void printBanner(DataDirectory dir, ControlPlane plane) {
        String url = "https://" + (bind.contains(":") ? "[" + bind + "]" : bind) + ":" + plane.httpsPort();
        System.out.println("Palisade is running");
        System.out.println("  HTTPS          " + url + "   EST " + "/.well-known/est/, API /api/v1/, CRL /pki/crl");
        System.out.println("  data directory " + dir.root());
        System.out.println("  store          " + plane.storeDescription());
        System.out.println("  CA certificate " + dir.rootCaFile() + "  (SHA-256 " + fingerprint(plane.ca().root()) + ")");
        System.out.println("  admin token    " + dir.adminTokenFile());
        System.out.println("Press Ctrl-C to stop.");
        System.out.flush();
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
            return "unavailable";
        }
    }

    private static String describe(Throwable e) {
        String message = Errors.rootMessage(e);
        return message.contains("Address already in use") ? "the port is already in use (" + message + ")" : message;
    }
}
