package io.palisade.pki.command;

/** Why a device refused a command; the message is reported back and recorded. */
public final class CommandRejected extends Exception {

    public CommandRejected(String message) {
        super(message);
    }
}
