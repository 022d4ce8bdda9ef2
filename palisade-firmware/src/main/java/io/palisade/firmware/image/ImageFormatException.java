package io.palisade.firmware.image;

/** An image that cannot be parsed or must not run; the message is one sentence naming the reason. */
public final class ImageFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public ImageFormatException(String message) {
        super(message);
    }

    public ImageFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
