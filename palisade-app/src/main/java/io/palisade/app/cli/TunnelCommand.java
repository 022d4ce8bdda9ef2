package io.palisade.app.cli;

import io.palisade.legacy.overlay.ConnectRequest;
import io.palisade.legacy.overlay.TunnelClient;
import io.palisade.pki.Pem;
import io.palisade.pki.TlsContexts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade tunnel open}: the client side of the isolation overlay. */
@Command(name = "tunnel", mixinStandardHelpOptions = true,
        description = "The client side of the isolation overlay: a local port whose connections reach a legacy host"
                + " through Palisade (see 'palisade overlay').")
public final class TunnelCommand extends CommandGroup {

    /** The file in the data directory where {@code palisade up --overlay-port} records its tunnel listener. */
    static final String OVERLAY_ADDRESS_FILE = "overlay.address";

    @Command(name = "open", mixinStandardHelpOptions = true,
            description = {"Listen on --local; each connection to it becomes a tunnel to DEVICE:PORT through Palisade,"
                    + " authenticated with this system's device certificate (--identity, as 'device enroll --out'"
                    + " writes it), or, without --identity, as the operator whose token the command uses (--token-file:"
                    + " a one-hour certificate is asked for from the API and renewed). Runs until interrupted.",
                    "Fails at once, with Palisade's reason, when no tunnel can be opened now (no grant, a"
                            + " quarantined end, no overlay address for the host)."})
    static final class Open implements Runnable {
        @Parameters(index = "0", paramLabel = "DEVICE:PORT", description = "the legacy host and port, e.g. plc-7:502")
        String target;

        @Option(names = "--local", required = true, paramLabel = "HOST:PORT",
                description = "where to listen, e.g. 127.0.0.1:15020 (port 0: any free one, printed)")
        String local;

        @Option(names = "--identity", paramLabel = "DIR",
                description = "this system's credentials: cert.pem, key.pem and ca.pem ('device enroll --out DIR');"
                        + " without it, the operator of --token-file")
        Path identity;

        @Option(names = "--gateway", paramLabel = "HOST:PORT", description = "Palisade's tunnel listener (default:"
                + " the one 'palisade up --overlay-port' recorded in --data)")
        String gateway;

        @picocli.CommandLine.Mixin
        ConnectionOptions connection;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            ConnectRequest where;
            InetSocketAddress listen;
            InetSocketAddress palisade;
            try {
                where = ConnectRequest.target(target);
                listen = address(local, "--local");
                palisade = address(gateway != null ? gateway : recordedGateway(), "--gateway");
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            java.util.function.Supplier<javax.net.ssl.SSLContext> tls;
            if (identity != null) {
                try {
                    javax.net.ssl.SSLContext device = TlsContexts.client(Pem.readCertificates(identity.resolve("ca.pem")),
                            Optional.of(new TlsContexts.ClientIdentity(Pem.readPrivateKey(identity.resolve("key.pem")),
                                    Pem.readCertificates(identity.resolve("cert.pem")))));
                    tls = () -> device;
                } catch (IOException | RuntimeException e) {
                    throw new CliFailure("cannot read the credentials in " + identity + ": " + e.getMessage());
                }
            } else {
                OperatorTunnelCredentials operator = new OperatorTunnelCredentials(connection.apiClient());
                operator.get(); // fails here, with the API's reason, rather than at the first connection
                tls = operator;
            }
            TunnelClient client;
            try {
                client = TunnelClient.open(listen, palisade, tls, where, message -> System.err.println(message));
            } catch (IOException e) {
                throw new CliFailure("cannot listen on " + local + ": " + e.getMessage());
            }
            Optional<String> refused = client.probe();
            if (refused.isPresent()) {
                closeQuietly(client);
                throw new CliFailure("no tunnel to " + where + " through " + palisade.getHostString() + ":"
                        + palisade.getPort() + ": " + refused.get());
            }
            spec.commandLine().getOut().println("tunnel to " + where + " open on " + listen.getHostString() + ":"
                    + client.localPort() + " (through " + palisade.getHostString() + ":" + palisade.getPort()
                    + "); Ctrl-C ends it");
            spec.commandLine().getOut().flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                closeQuietly(client);
                stop.countDown();
            }));
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private String recordedGateway() {
            Path data = connection.dataDirectory().root();
            Path recorded = data.resolve(OVERLAY_ADDRESS_FILE);
            try {
                return Files.readString(recorded, StandardCharsets.US_ASCII).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("name Palisade's tunnel listener with --gateway HOST:PORT (no"
                        + " instance with --overlay-port recorded one in " + data + ")");
            }
        }
    }

    static InetSocketAddress address(String text, String option) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || !text.substring(colon + 1).matches("[0-9]{1,5}")
                || Integer.parseInt(text.substring(colon + 1)) > 65535) {
            throw new IllegalArgumentException(option + " is HOST:PORT, not '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, Integer.parseInt(text.substring(colon + 1)));
    }

    private static void closeQuietly(TunnelClient client) {
        try {
            client.close();
        } catch (IOException e) {
            // ending anyway
        }
    }
}
