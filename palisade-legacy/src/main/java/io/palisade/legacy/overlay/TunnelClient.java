package io.palisade.legacy.overlay;

import io.palisade.pki.TlsContexts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The client side of the overlay ({@code palisade tunnel open}): a local port; each connection to it becomes one tunnel
 * through Palisade (mutual TLS with the client's certificate, server name and chain checked, then
 * {@code CONNECT DEVICE:PORT}), and bytes flow both ways until either end closes. A refused tunnel closes the local
 * connection and reports Palisade's reason.
 */
public final class TunnelClient implements AutoCloseable {

    static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final ServerSocket local;
    private final InetSocketAddress gateway;
    private final java.util.function.Supplier<SSLContext> tls;
    private final ConnectRequest target;
    private final Consumer<String> log;
    private final Thread acceptor;

    private TunnelClient(ServerSocket local, InetSocketAddress gateway, java.util.function.Supplier<SSLContext> tls,
                         ConnectRequest target,
                         Consumer<String> log) {
        this.local = local;
        this.gateway = gateway;
        this.tls = tls;
        this.target = target;
        this.log = log;
        this.acceptor = new Thread(this::accept, "tunnel-accept");
        acceptor.setDaemon(true);
    }

    /**
     * Listens on {@code listen} (port 0: a free one) and serves each connection through a tunnel to {@code target}.
     * {@code tls} carries the client's certificate and trusts Palisade's CA.
     */
    public static TunnelClient open(InetSocketAddress listen, InetSocketAddress gateway, SSLContext tls,
                                    ConnectRequest target, Consumer<String> log) throws IOException {
        return open(listen, gateway, () -> tls, target, log);
    }

    /**
     * The same, asking {@code tls} for the TLS context at each new tunnel: an operator's certificate lasts an hour and
     * is renewed behind it.
     */
    public static TunnelClient open(InetSocketAddress listen, InetSocketAddress gateway,
                                    java.util.function.Supplier<SSLContext> tls, ConnectRequest target,
                                    Consumer<String> log) throws IOException {
        ServerSocket local = new ServerSocket();
        local.bind(listen);
        TunnelClient client = new TunnelClient(local, gateway, tls, target, log);
        client.acceptor.start();
        return client;
    }

    /** Opens one tunnel and closes it: empty when Palisade would carry one now, else its reason. */
    public Optional<String> probe() {
        try (SSLSocket tunnel = connect()) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    }

    public int localPort() {
        return local.getLocalPort();
    }

    private void accept() {
        while (!local.isClosed()) {
            Socket connection;
            try {
                connection = local.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread serving = new Thread(() -> serve(connection), "tunnel-" + connection.getPort());
            serving.setDaemon(true);
            serving.start();
        }
    }

    private void serve(Socket connection) {
        SSLSocket tunnel;
        try {
            tunnel = connect();
        } catch (IOException e) {
            log.accept("tunnel to " + target + " refused: " + e.getMessage());
            closeQuietly(connection);
            return;
        }
        log.accept("tunnel to " + target + " open for " + connection.getRemoteSocketAddress());
        Thread up = new Thread(() -> pump(connection, tunnel), "tunnel-up");
        up.setDaemon(true);
        up.start();
        pump(tunnel, connection);
        log.accept("tunnel to " + target + " for " + connection.getRemoteSocketAddress() + " closed");
    }

    /** A TLS connection to Palisade on which the tunnel to the target stands. */
    private SSLSocket connect() throws IOException {
        Socket plain = new Socket();
        plain.connect(gateway, CONNECT_TIMEOUT_MILLIS);
        SSLSocket socket;
        try {
            socket = (SSLSocket) tls.get().getSocketFactory().createSocket(plain, gateway.getHostString(),
                    gateway.getPort(), true);
        } catch (RuntimeException e) {
            plain.close();
            throw new IOException("no client certificate: " + e.getMessage(), e);
        }
        try {
            socket.setSSLParameters(TlsContexts.clientParameters());
            socket.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
            socket.startHandshake();
            socket.getOutputStream().write(("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = readAnswer(socket.getInputStream());
            if (!answer.startsWith("HTTP/1.1 200")) {
                String reason = answer.contains("\r\n\r\n") ? answer.substring(answer.indexOf("\r\n\r\n") + 4).strip()
                        : "";
                throw new IOException(answer.lines().findFirst().orElse("no answer").replaceFirst("^HTTP/1\\.1 ", "")
                        + (reason.isEmpty() ? "" : ": " + reason));
            }
            socket.setSoTimeout(0);
            return socket;
        } catch (IOException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /** The answer's head, and for a refusal its short body (the reason). */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < ConnectRequest.MAX_HEAD_BYTES) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    throw new IOException("Palisade closed the connection without an answer");
                }
                break;
            }
            head.write(b);
            String text = head.toString(StandardCharsets.US_ASCII);
            if (text.endsWith("\r\n\r\n")) {
                if (text.startsWith("HTTP/1.1 200")) {
                    return text;
                }
                return text + new String(in.readNBytes(1024), StandardCharsets.UTF_8); // the reason, up to close
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // either end closed: end both
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    @Override
    public void close() throws IOException {
        local.close();
    }
}
