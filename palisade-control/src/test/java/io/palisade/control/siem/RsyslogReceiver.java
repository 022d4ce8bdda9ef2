package io.palisade.control.siem;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real rsyslog receiving RFC 5425 syslog over TLS ({@code imtcp} with the GnuTLS stream driver) on a free
 * loopback port, writing each record's fields as a tab-separated line: MSGID, structured data, MSG, severity,
 * facility. A test CA (openssl) signs its certificate (with the given subject alternative name) and a client
 * certificate; with {@code requireClientCertificate} rsyslog accepts only clients the CA vouches for.
 */
final class RsyslogReceiver implements AutoCloseable {

    private final Path dir;
    private final int port;
    private Process process;

    private RsyslogReceiver(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static RsyslogReceiver start(Path dir, String san, boolean requireClientCertificate) throws Exception {
        certificates(dir, san);
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String d = dir.toString();
        Files.writeString(dir.resolve("rsyslog.conf"), String.join("\n",
                "global(workDirectory=\"" + d + "\" DefaultNetstreamDriver=\"gtls\""
                        + " DefaultNetstreamDriverCAFile=\"" + d + "/ca.pem\" DefaultNetstreamDriverCertFile=\"" + d
                        + "/server-cert.pem\" DefaultNetstreamDriverKeyFile=\"" + d + "/server-key.pem\")",
                "module(load=\"imtcp\" StreamDriver.Name=\"gtls\" StreamDriver.Mode=\"1\" StreamDriver.AuthMode=\""
                        + (requireClientCertificate ? "x509/certvalid" : "anon") + "\")",
                "input(type=\"imtcp\" port=\"" + port + "\" address=\"127.0.0.1\")",
                "template(name=\"fields\" type=\"string\" string=\"%msgid%\\t%structured-data%\\t%msg%\\t%syslogseverity-text%\\t%syslogfacility-text%\\n\")",
                "action(type=\"omfile\" file=\"" + d + "/received.log\" template=\"fields\")", ""));
        RsyslogReceiver receiver = new RsyslogReceiver(dir, port);
        receiver.launch();
        return receiver;
    }

    /**
     * A test CA ({@code ca.pem}) and, signed by it, a server certificate naming {@code san}
     * ({@code server-cert.pem}, {@code server-key.pem}) and a client certificate ({@code client-cert.pem},
     * {@code client-key.pem}), all made by openssl in {@code dir}.
     */
    static void certificates(Path dir, String san) throws Exception {
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca-key.pem", "-out", "ca.pem", "-subj", "/CN=test CA", "-days", "1");
        issue(dir, "server", "/CN=receiver", san);
        issue(dir, "client", "/CN=palisade", "subjectAltName=DNS:palisade.test");
    }

    private static void issue(Path dir, String name, String subject, String san) throws Exception {
        run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + "-key.pem", "-out", name + ".csr", "-subj", subject);
        Files.writeString(dir.resolve(name + ".ext"), san + "\n");
        run(dir, "openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                "-CAcreateserial", "-out", name + "-cert.pem", "-days", "1", "-extfile", name + ".ext");
    }

    /** Starts rsyslog (again, after {@link #kill}) on the same port and waits until it listens. */
    void launch() throws Exception {
        String d = dir.toString();
        Files.deleteIfExists(dir.resolve("rsyslog.pid"));
        process = new ProcessBuilder("rsyslogd", "-n", "-f", d + "/rsyslog.conf", "-i", d + "/rsyslog.pid")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("rsyslog.out")
                        .toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("rsyslog did not listen on " + port + ": " + Files.readString(dir.resolve("rsyslog.out")));
    }

    /** SIGKILL: no chance to flush or close connections cleanly. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    int port() {
        return port;
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    /** What rsyslog has written so far, one line per record. */
    List<String> lines() throws IOException {
        Path log = dir.resolve("received.log");
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    /** Waits (up to {@code seconds}) until the lines written satisfy {@code done}; returns them. */
    List<String> await(Predicate<List<String>> done, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<String> lines = lines();
        while (!done.test(lines)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("rsyslog has not received " + what + " within " + seconds + " s; it wrote "
                        + lines.size() + " records");
            }
            Thread.sleep(50);
            lines = lines();
        }
        return lines;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + output);
        }
    }
}
