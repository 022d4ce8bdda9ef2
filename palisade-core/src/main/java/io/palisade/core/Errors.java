package io.palisade.core;

/** Turning exception chains into the one sentence an operator reads. */
public final class Errors {

    private Errors() {
    }

    /** The innermost cause's message (or its class name when it has none): usually the real reason. */
    public static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
