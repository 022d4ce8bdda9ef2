package io.palisade.app.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the local-socket transport accepts as the server's answer, and what it refuses with a reason. */
class HttpAnswerTest {

    private static ApiTransport.Answer parse(String raw) throws IOException {
        return HttpAnswer.parse(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void content_length_frames_the_body() throws IOException {
        ApiTransport.Answer answer = parse("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "content-length: 7\r\n\r\n{\"a\":1}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }

    @Test
    void chunked_bodies_are_joined_and_extensions_ignored() throws IOException {
        ApiTransport.Answer answer = parse("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3;x=y\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
        assertThat(answer.status()).isEqualTo(404);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("abcde");
    }

    @Test
    void without_framing_the_body_runs_to_the_end_of_the_stream() throws IOException {
        assertThat(parse("HTTP/1.0 503 Busy\r\n\r\nretry").body()).asString(StandardCharsets.UTF_8).isEqualTo("retry");
    }

    @Test
    void refuses_what_is_not_a_complete_http_answer() {
        assertThatThrownBy(() -> parse("")).hasMessageContaining("closed the connection without an answer");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"))
                .hasMessageContaining("no end of headers");
        assertThatThrownBy(() -> parse("SSH-2.0-OpenSSH\r\n\r\n")).hasMessageContaining("not an HTTP/1.x answer");
        assertThatThrownBy(() -> parse("HTTP/1.1 abc OK\r\n\r\n")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> parse("HTTP/1.1 999 OK\r\n\r\n")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"))
                .hasMessageContaining("malformed HTTP header line");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"))
                .hasMessageContaining("ended after 5 of 10 body bytes");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"))
                .hasMessageContaining("of -1 body bytes");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))
                .hasMessageContaining("malformed chunk size");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nff\r\nabc"))
                .hasMessageContaining("ended inside a chunk");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nabc\r\n"))
                .hasMessageContaining("ended inside a chunk");
    }

    @Test
    void control_characters_from_the_peer_are_not_echoed_into_messages() {
        assertThatThrownBy(() -> parse("\u001b[31mHTTP\r\n\r\n")).hasMessageNotContaining("\u001b")
                .hasMessageContaining("?[31mHTTP");
    }
}
