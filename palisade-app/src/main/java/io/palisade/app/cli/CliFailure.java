package io.palisade.app.cli;

/** A failure to report as one sentence on stderr; the exit code says what kind. */
public final class CliFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CliFailure(String message) {
        super(message, null, false, false);
    }
}
