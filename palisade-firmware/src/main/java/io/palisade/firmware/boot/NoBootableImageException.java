package io.palisade.firmware.boot;

/** Neither slot holds an image that verifies: the device must not run anything (and asks for a reflash). */
public final class NoBootableImageException extends Exception {

    private static final long serialVersionUID = 1L;

    public NoBootableImageException(String message) {
        super(message);
    }
}
