package io.palisade.app.client;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Fuzz target for the local-socket transport's response parser: whatever the peer sends, the parser returns
 * an answer whose body fits in what was sent, or refuses with an {@link IOException}; nothing else escapes.
 */
class HttpAnswerFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void any_bytes_give_an_answer_or_a_reason(byte[] raw) {
        try {
            ApiTransport.Answer answer = HttpAnswer.parse(raw);
            if (answer.body().length > raw.length || answer.status() < 100 || answer.status() > 599) {
                throw new AssertionError("answer outside what was received: status " + answer.status()
                        + ", " + answer.body().length + " body bytes from " + raw.length);
            }
        } catch (IOException expected) {
            // A refusal with a reason is the other allowed outcome.
        }
    }
}
