package io.palisade.app.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local-socket transport against servers that answer, stay silent, or hang up. */
class UnixSocketTransportTest {

    @TempDir
    Path dir;

    /** A server on {@code dir/api.sock} that reads one request and does {@code answer} with the connection. */
    private CompletableFuture<String> serve(java.util.function.Consumer<SocketChannel> answer) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("api.sock")));
        return CompletableFuture.supplyAsync(() -> {
            try (server; SocketChannel client = server.accept()) {
                String request = readRequest(client);
                answer.accept(client);
                return request;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void sends_the_request_with_its_headers_and_reads_the_answer() throws Exception {
        CompletableFuture<String> request = serve(client -> write(client,
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"));
        ApiTransport.Answer answer = new UnixSocketTransport(dir.resolve("api.sock"))
                .exchange("POST", "devices?x=1", Map.of("Authorization", "Bearer t"), "{\"id\":\"a\"}".getBytes());
        assertThat(answer.status()).isEqualTo(200);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
        assertThat(request.get()).startsWith("POST /api/v1/devices?x=1 HTTP/1.1\r\n")
                .contains("Authorization: Bearer t\r\n").contains("Content-Length: 10\r\n").endsWith("\r\n\r\n{\"id\":\"a\"}");
    }

    @Test
    void a_server_that_never_answers_is_given_up_on_with_the_reason() throws Exception {
        serve(client -> sleep(5_000));
        assertThatThrownBy(() -> new UnixSocketTransport(dir.resolve("api.sock"), 1)
                .exchange("GET", "devices", Map.of(), null)).isInstanceOf(IOException.class)
                .hasMessage("no answer within 1 s");
    }

    @Test
    void a_server_that_hangs_up_or_is_gone_is_named() throws Exception {
        serve(client -> { });
        assertThatThrownBy(() -> new UnixSocketTransport(dir.resolve("api.sock"))
                .exchange("GET", "devices", Map.of(), null)).hasMessageContaining("closed the connection without an answer");
        assertThatThrownBy(() -> new UnixSocketTransport(dir.resolve("nobody.sock"))
                .exchange("GET", "devices", Map.of(), null)).isInstanceOf(IOException.class);
    }

    /** The request head, then as many body bytes as its Content-Length says (it may come in several reads). */
    private static String readRequest(SocketChannel client) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (true) {
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
            int headEnd = text.indexOf("\r\n\r\n");
            if (headEnd >= 0) {
                java.util.regex.Matcher length = java.util.regex.Pattern.compile("Content-Length: (\\d+)").matcher(text);
                int body = length.find() ? Integer.parseInt(length.group(1)) : 0;
                if (text.length() >= headEnd + 4 + body) {
                    return text;
                }
            }
            if (client.read(buffer) < 0) {
                return text;
            }
        }
    }

    private static void write(SocketChannel client, String text) {
        try {
            client.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
