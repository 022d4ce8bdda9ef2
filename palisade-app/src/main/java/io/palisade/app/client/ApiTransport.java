package io.palisade.app.client;

import java.io.IOException;

/** One HTTP exchange with the REST API, over whatever connects this command to the instance. */
interface ApiTransport {

    /** The status and body of the server's answer. */
    record Answer(int status, byte[] body) {
    }

    /**
     * Sends {@code method pathAndQuery} (relative to the API root, e.g. {@code devices/d1?x=y}) with the
     * given headers and body ({@code null} for none).
     */
    Answer exchange(String method, String pathAndQuery, java.util.Map<String, String> headers, byte[] body)
            throws IOException;

    /** Where this transport connects, for messages (a URL or a socket path). */
    String describe();
}
