package io.palisade.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of a process and its children (user + system, in clock ticks) from {@code /proc}. */
final class CpuTicks {

    static final long PER_SECOND = 100;

    private CpuTicks() {
    }

    /** The process's own ticks plus those of its direct children (nginx's worker under its master). */
    static long ofTree(long pid) throws IOException {
        long ticks = of(pid);
        for (ProcessHandle child : ProcessHandle.of(pid).map(p -> p.children().toList()).orElse(java.util.List.of())) {
            ticks += of(child.pid());
        }
        return ticks;
    }

    static long of(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
