package io.palisade.control.siem;

import io.palisade.pki.TlsPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Sends syslog records to one receiver, blocking, from one thread (its destination's). Over TLS and TCP
 * each record is framed by octet counting ({@code LENGTH SP RECORD}, RFC 5425 §4.3 and RFC 6587 §3.4.1),
 * so a record may hold any byte; the connection is opened on first use and after a failure. Over UDP each
 * record is one datagram of at most {@value #MAX_DATAGRAM} octets (RFC 5426 §3.2: what every receiver
 * should take); a longer record is cut at a character boundary, and the cut is counted.
 *
 * <p>TLS follows Palisade's one policy ({@link TlsPolicy}: TLS 1.3/1.2, ECDHE with AEAD), and the
 * receiver's certificate must name the host it was reached by.
 */
public final class SyslogSender implements AutoCloseable {

    static final int MAX_DATAGRAM = 2048;
    private final SyslogAddress address;
    private final SSLContext tls;
    private final int timeoutMillis;
    private Socket socket;
    private OutputStream out;
    private DatagramSocket datagrams;
    private long truncated;

    /** {@code tls} is used for {@code syslog+tls} only (may be null otherwise). */
    public SyslogSender(SyslogAddress address, SSLContext tls, Duration timeout) {
        if (address.transport() == SyslogAddress.Transport.TLS && tls == null) {
            throw new IllegalArgumentException("a TLS context is needed for " + address);
        }
        this.address = address;
        this.tls = tls;
        this.timeoutMillis = (int) timeout.toMillis();
    }

    /** Sends {@code records} in order; on failure the connection is dropped (the next call reconnects) and it throws. */
    public void send(List<String> records) throws IOException {
        try {
            if (address.transport() == SyslogAddress.Transport.UDP) {
                sendDatagrams(records);
                return;
            }
            OutputStream stream = stream();
            for (String record : records) {
                byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
                stream.write((bytes.length + " ").getBytes(StandardCharsets.US_ASCII));
                stream.write(bytes);
            }
            stream.flush();
        } catch (IOException | RuntimeException e) {
            close();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    /**
     * Whether the receiver has closed the stream connection (it never writes to us, so end of stream or a reset
     * while reading is the only news a reader gets). Waits at most a millisecond. False for UDP and when not
     * connected.
     */
    public boolean peerClosed() {
        if (socket == null || address.transport() == SyslogAddress.Transport.UDP) {
            return false;
        }
        try {
            socket.setSoTimeout(1);
            return socket.getInputStream().read() < 0; // a byte from a syslog receiver is ignored
        } catch (java.net.SocketTimeoutException e) {
            return false; // open and quiet, as a receiver should be
        } catch (IOException e) {
            return true;
        } finally {
            try {
                if (socket != null && !socket.isClosed()) {
                    socket.setSoTimeout(timeoutMillis);
                }
            } catch (IOException ignored) {
                // closed meanwhile: the next send reconnects
            }
        }
    }

    /** How many records were cut to fit a datagram. */
    public long truncated() {
        return truncated;
    }

    private OutputStream stream() throws IOException {
        if (out != null) {
            return out;
        }
        socket = new Socket(); // held at once, so that close() releases it whatever fails below
        socket.connect(new InetSocketAddress(address.host(), address.port()), timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        socket.setTcpNoDelay(true);
        if (address.transport() == SyslogAddress.Transport.TLS) {
            SSLSocket secure = (SSLSocket) TlsPolicy.enforce(tls.getSocketFactory())
                    .createSocket(socket, address.host(), address.port(), true);
            socket = secure; // closing it closes the TCP socket under it
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
            secure.setSSLParameters(parameters);
            secure.startHandshake();
        }
        out = new java.io.BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        return out;
    }

    private void sendDatagrams(List<String> records) throws IOException {
        if (datagrams == null) {
            datagrams = new DatagramSocket();
            datagrams.connect(new InetSocketAddress(address.host(), address.port()));
        }
        for (String record : records) {
            byte[] bytes = fitDatagram(record);
            datagrams.send(new DatagramPacket(bytes, bytes.length));
        }
    }

    private byte[] fitDatagram(String record) {
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_DATAGRAM) {
            return bytes;
        }
        truncated++;
        int end = MAX_DATAGRAM;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // not inside a UTF-8 sequence
        }
        return java.util.Arrays.copyOf(bytes, end);
    }

    @Override
    public void close() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException ignored) {
            // closing a failed connection
        }
        socket = null;
        out = null;
        if (datagrams != null) {
            datagrams.close();
            datagrams = null;
        }
    }
}
