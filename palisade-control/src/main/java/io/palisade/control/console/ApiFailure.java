package io.palisade.control.console;

/** The REST API refused an in-process call: its status and its one-sentence reason. */
final class ApiFailure extends Exception {

    private final int status;

    ApiFailure(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
