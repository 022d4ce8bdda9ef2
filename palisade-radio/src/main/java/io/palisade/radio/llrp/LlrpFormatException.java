package io.palisade.radio.llrp;

/** LLRP bytes that are not what their header says; the message names the field. */
public final class LlrpFormatException extends Exception {

    public LlrpFormatException(String message) {
        super(message);
    }
}
