package io.palisade.app.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Parses a complete HTTP/1.1 response read to the end of its connection: status line, headers, and a body
 * framed by {@code Content-Length}, {@code Transfer-Encoding: chunked} or the end of the stream.
 */
final class HttpAnswer {

    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private HttpAnswer() {
    }

    static ApiTransport.Answer parse(byte[] raw) throws IOException {
        int headEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (headEnd < 0) {
            throw new IOException(raw.length == 0 ? "the server closed the connection without an answer"
                    : "incomplete HTTP answer (no end of headers in " + raw.length + " bytes)");
        }
        if (headEnd > MAX_HEAD_BYTES) {
            throw new IOException("HTTP answer headers larger than " + MAX_HEAD_BYTES + " bytes");
        }
        String[] lines = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x answer: " + printable(lines[0]));
        }
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            throw new IOException("HTTP status is not a number: " + printable(statusLine[1]));
        }
        if (status < 100 || status > 599) {
            throw new IOException("HTTP status out of range: " + status);
        }
        Long contentLength = null;
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed HTTP header line: " + printable(lines[i]));
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("content-length")) {
                try {
                    contentLength = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("Content-Length is not a number: " + printable(value));
                }
            } else if (name.equals("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            }
        }
        int bodyStart = headEnd + 4;
        byte[] rest = Arrays.copyOfRange(raw, bodyStart, raw.length);
        if (chunked) {
            return new ApiTransport.Answer(status, dechunk(rest));
        }
        if (contentLength != null) {
            if (contentLength < 0 || contentLength > rest.length) {
                throw new IOException("HTTP answer ended after " + rest.length + " of " + contentLength + " body bytes");
            }
            return new ApiTransport.Answer(status, Arrays.copyOf(rest, contentLength.intValue()));
        }
        return new ApiTransport.Answer(status, rest);
    }

    private static byte[] dechunk(byte[] body) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int position = 0;
        while (true) {
            int lineEnd = indexOf(body, new byte[] {'\r', '\n'}, position);
            if (lineEnd < 0) {
                throw new IOException("chunked HTTP body ended inside a chunk size line");
            }
            String sizeText = new String(body, position, lineEnd - position, StandardCharsets.US_ASCII);
            int semicolon = sizeText.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semicolon >= 0 ? sizeText.substring(0, semicolon) : sizeText).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size: " + printable(sizeText));
            }
            position = lineEnd + 2;
            if (size == 0) {
                return out.toByteArray();
            }
            if (size < 0 || position + size + 2 > body.length) {
                throw new IOException("chunked HTTP body ended inside a chunk");
            }
            out.write(body, position, size);
            position += size + 2;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String printable(String text) {
        String cut = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
