package io.palisade.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceLockTest {

    @TempDir
    Path dir;

    /** Tries the lock from another process, as a second `palisade up` would, and prints what it was told. */
    public static final class Probe {
        public static void main(String[] args) {
            try (InstanceLock lock = InstanceLock.acquire(Path.of(args[0]))) {
                System.out.println("acquired");
            } catch (Exception e) {
                System.out.println(e.getMessage());
            }
        }
    }

    private String probe() throws Exception {
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Probe.class.getName(), dir.toString()))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    @Test
    void a_second_process_on_the_same_data_directory_is_told_who_holds_it_and_gets_it_once_released() throws Exception {
        InstanceLock first = InstanceLock.acquire(dir);
        InstanceLock again = InstanceLock.acquire(dir); // the control plane inside the same `palisade up`
        long pid = ProcessHandle.current().pid();
        // (Not read here with another descriptor: closing any descriptor of the file drops a POSIX lock.)
        assertThat(probe()).isEqualTo("another Palisade is already running on the data directory " + dir
                + " (process " + pid + "); stop it first or give another --data");
        first.close();
        assertThat(probe()).as("still held by the second handle").startsWith("another Palisade");
        again.close();
        assertThat(probe()).isEqualTo("acquired");
    }
}
