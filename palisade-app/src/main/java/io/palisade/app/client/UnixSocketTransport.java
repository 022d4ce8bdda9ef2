package io.palisade.app.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The REST API over the instance's local Unix domain socket ({@code DATA/api.sock}): HTTP/1.1 without TLS,
 * which the file's permissions make unnecessary on this host. One request per connection
 * ({@code Connection: close}); the answer is read to the end of the stream and parsed by {@link HttpAnswer}.
 */
final class UnixSocketTransport implements ApiTransport {

    private static final long DEFAULT_TIMEOUT_SECONDS = 30;
    /** Largest answer accepted: the API pages its lists, so anything larger is not an answer from it. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;

    private final Path socket;
    private final long timeoutSeconds;

    UnixSocketTransport(Path socket) {
        this(socket, DEFAULT_TIMEOUT_SECONDS);
    }

    UnixSocketTransport(Path socket, long timeoutSeconds) {
        this.socket = socket;
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    public Answer exchange(String method, String pathAndQuery, Map<String, String> headers, byte[] body)
            throws IOException {
        StringBuilder head = new StringBuilder(method).append(" /api/v1/").append(pathAndQuery)
                .append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        // A blocking channel has no read timeout: a watchdog closes it if the server never answers.
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "palisade-api-timeout");
            thread.setDaemon(true);
            return thread;
        });
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // Marked before the close: the reader wakes from the close before the watchdog's future counts as done.
            AtomicBoolean timedOut = new AtomicBoolean();
            ScheduledFuture<?> timeout = watchdog.schedule(() -> {
                timedOut.set(true);
                closeQuietly(channel);
            }, timeoutSeconds, TimeUnit.SECONDS);
            byte[] raw;
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                writeFully(channel, head.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    writeFully(channel, body);
                }
                raw = readToEnd(channel);
            } catch (IOException e) {
                // The watchdog closing the channel surfaces as "closed": say what happened instead.
                throw timedOut.get() ? new IOException("no answer within " + timeoutSeconds + " s", e) : e;
            }
            timeout.cancel(false);
            return HttpAnswer.parse(raw);
        } finally {
            watchdog.shutdownNow();
        }
    }

    private static void writeFully(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static byte[] readToEnd(SocketChannel channel) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        while (channel.read(buffer) >= 0) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
            if (out.size() > MAX_ANSWER_BYTES) {
                throw new IOException("answer larger than " + MAX_ANSWER_BYTES + " bytes");
            }
        }
        return out.toByteArray();
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing only to unblock the reader.
        }
    }

    @Override
    public String describe() {
        return socket.toString();
    }
}
