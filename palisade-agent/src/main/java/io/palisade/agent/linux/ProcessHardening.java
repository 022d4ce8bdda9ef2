package io.palisade.agent.linux;

import com.sun.jna.NativeLong;

/**
 * Keeps the agent's secrets out of core dumps: no core file at all (RLIMIT_CORE 0) and not dumpable
 * (which also keeps other processes of the same user from attaching or reading its memory through
 * {@code /proc}). What is not done: the JVM cannot lock only the pages that hold keys, and locking the
 * whole heap ({@code mlockall}) needs a memory-lock limit most devices do not grant; run the agent on a
 * device without swap or with encrypted swap (the README says so).
 */
public final class ProcessHardening {

    /** What took effect, for the start-up log. */
    public record Result(boolean coreLimitZero, boolean notDumpable) {
        public String describe() {
            return "core dumps " + (coreLimitZero ? "off (RLIMIT_CORE 0)" : "NOT limited")
                    + ", process " + (notDumpable ? "not dumpable" : "still dumpable");
        }
    }

    private ProcessHardening() {
    }

    public static Result apply() {
        LibC c = LibC.INSTANCE;
        byte[] zero = NativeStructs.rlimit(0, 0);
        boolean coreOff = c.setrlimit(LibC.RLIMIT_CORE, zero) == 0;
        NativeLong none = new NativeLong(0);
        c.prctl(LibC.PR_SET_DUMPABLE, none, none, none, none);
        boolean notDumpable = c.prctl(LibC.PR_GET_DUMPABLE, none, none, none, none) == 0;
        return new Result(coreOff, notDumpable);
    }
}
