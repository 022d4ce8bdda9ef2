package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.testing.PeerPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own (initdb in a temporary directory, on a peer port), so that a test can
 * stop and restart it without disturbing the machine's shared server that other tests use at the same time.
 * As root, PostgreSQL's programs run as the {@code postgres} user (they refuse to run as root).
 */
final class PrivatePostgres implements AutoCloseable {

    private final Path base;
    private final Path data;
    private final int port;
    private final Path bin;

    private PrivatePostgres(Path base, int port, Path bin) {
        this.base = base;
        this.data = base.resolve("data");
        this.port = port;
        this.bin = bin;
    }

    static PrivatePostgres start() throws Exception {
        Path bin;
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            bin = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IllegalStateException("no initdb under /usr/lib/postgresql (./test installs postgresql)"));
        }
        Path base = Files.createTempDirectory("palisade-pg");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        PrivatePostgres server = new PrivatePostgres(base, PeerPorts.free(), bin);
        if (isRoot()) {
            run(List.of("chown", "postgres:postgres", base.toString()));
        }
        server.pg("initdb", "-D", server.data.toString(), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8");
        server.startServer();
        return server;
    }

    /** The store URL Palisade is given. */
    String storeUrl() {
        return "postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    void startServer() throws Exception {
        pg("pg_ctl", "-D", data.toString(), "-l", base.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + base + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
    }

    /** Stops the server the way an operator's restart does: connections are cut, nothing is waited for. */
    void stopServer() throws Exception {
        pg("pg_ctl", "-D", data.toString(), "-w", "-t", "60", "-m", "fast", "stop");
    }

    private void pg(String program, String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(arguments));
        run(command);
    }

    private static void run(List<String> command) throws Exception {
        Processes.Result result = Processes.run(command);
        assertThat(result.exitCode()).as(String.join(" ", command) + " said: " + result.output()).isZero();
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Override
    public void close() throws Exception {
        try {
            pg("pg_ctl", "-D", data.toString(), "-w", "-m", "immediate", "stop");
        } catch (AssertionError alreadyStopped) {
            // the test failed with the server stopped; nothing to stop
        }
        try (Stream<Path> files = Files.walk(base)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    // a leftover in the temporary directory; not worth failing the test for
                }
            });
        }
    }
}
