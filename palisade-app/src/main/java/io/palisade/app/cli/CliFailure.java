package io.palisade.app.cli;

/** A failure to report as one sentence on stderr; the exit code says what kind. */
public final class CliFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Exit code when the server cannot be reached or is unavailable for now (sysexits EX_UNAVAILABLE): worth a retry. */
    public static final int UNAVAILABLE = 69;

    private final int exitCode;

    public CliFailure(String message) {
        this(message, 1);
    }

    /** A failure with its own exit code (e.g. 3: `fim check` found changes), so scripts can tell outcomes apart. */
    public CliFailure(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
