package io.palisade.legacy.overlay;

import io.palisade.core.device.DeviceId;
import java.nio.charset.StandardCharsets;

/**
 * A tunnel request: the head of an HTTP/1.1 {@code CONNECT DEVICE:PORT} request (RFC 9110 9.3.6), naming the legacy
 * host by its device id. Using HTTP's own tunnel request keeps the protocol one that standard tools speak
 * ({@code openssl s_client}, {@code curl --proxytunnel}); headers are read for form only, none is needed.
 */
public record ConnectRequest(DeviceId device, int port) {

    /** The head is small: a request line and a few headers. */
    public static final int MAX_HEAD_BYTES = 4096;
    public static final int MAX_HEADERS = 32;

    /**
     * Parses a request head: the bytes up to and including the blank line.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ConnectRequest parse(byte[] head) {
        if (head.length > MAX_HEAD_BYTES) {
            throw new IllegalArgumentException("the request head is longer than " + MAX_HEAD_BYTES + " bytes");
        }
        for (byte b : head) {
            if (b < 0 || (b < 0x20 && b != '\r' && b != '\n' && b != '\t') || b == 0x7F) {
                throw new IllegalArgumentException("the request head holds a byte that is not printable ASCII");
            }
        }
        String text = new String(head, StandardCharsets.US_ASCII);
        if (!text.endsWith("\r\n\r\n")) {
            throw new IllegalArgumentException("the request head does not end with an empty line");
        }
        String[] lines = text.substring(0, text.length() - 4).split("\r\n", -1);
        if (lines.length - 1 > MAX_HEADERS) {
            throw new IllegalArgumentException("more than " + MAX_HEADERS + " headers");
        }
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0 || lines[i].substring(0, colon).chars().anyMatch(c -> c == ' ' || c == '\t')) {
                throw new IllegalArgumentException("header line " + i + " is not 'Name: value'");
            }
        }
        String[] request = lines[0].split(" ", -1);
        if (request.length != 3 || !request[2].startsWith("HTTP/1.")) {
            throw new IllegalArgumentException("the request line is not 'CONNECT DEVICE:PORT HTTP/1.1'");
        }
        if (!request[0].equals("CONNECT")) {
            throw new IllegalArgumentException("only CONNECT is served here, not " + request[0]);
        }
        return target(request[1]);
    }

    /** {@code DEVICE:PORT}, as on the command line. */
    public static ConnectRequest target(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("the target '" + text + "' is not DEVICE:PORT");
        }
        String device = text.substring(0, colon);
        if (!DeviceId.isValid(device)) {
            throw new IllegalArgumentException("'" + device + "' is not a device id");
        }
        String port = text.substring(colon + 1);
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("'" + port + "' is not a port (1-65535)");
        }
        return new ConnectRequest(DeviceId.of(device), Integer.parseInt(port));
    }

    @Override
    public String toString() {
        return device + ":" + port;
    }
}
