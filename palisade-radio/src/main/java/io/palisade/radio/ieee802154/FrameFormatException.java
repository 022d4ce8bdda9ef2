package io.palisade.radio.ieee802154;

/**
 * A radio frame that is not what its own header says it is (too short, a reserved mode, a length that runs past the
 * end). The message names the field, so an event can say why a frame was dropped.
 */
public final class FrameFormatException extends Exception {

    public FrameFormatException(String message) {
        super(message);
    }
}
