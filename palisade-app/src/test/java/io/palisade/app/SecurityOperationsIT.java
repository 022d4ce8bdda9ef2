package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security team's layer as an operator uses it, through the {@code palisade} command against a running
 * instance: a SIEM destination added with {@code siem add} gets the events (a real rsyslog over TCP), every
 * admin request is an {@code admin.action} event, and {@code audit verify} finds the chain intact, then finds
 * the event someone edited with the {@code sqlite3} tool while Palisade was stopped.
 */
class SecurityOperationsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Process rsyslog;

    @AfterEach
    void stopReceiver() throws InterruptedException {
        if (rsyslog != null) {
            rsyslog.destroy();
            rsyslog.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void siem_export_admin_actions_and_the_audit_chain_through_the_cli() throws Exception {
        Path data = dir.resolve("data");
        int syslogPort = startRsyslog();
        String[] at = {"--data", data.toString()};
        try (PalisadeProcess palisade = PalisadeProcess.start(data, PalisadeProcess.freePort(), PalisadeProcess.freePort())) {
            Cli.Result added = cli(at, "siem", "add", "soc", "--url", "syslog+tcp://127.0.0.1:" + syslogPort,
                    "--format", "cef", "--types", "admin.action,device.quarantined,admin.siem");
            assertThat(added.exitCode()).as(added.err()).isZero();
            assertThat(added.out()).contains("added SIEM destination soc: syslog+tcp://127.0.0.1:" + syslogPort + ", cef");
            Cli.Result refused = cli(at, "siem", "add", "bad", "--url", "ftp://x", "--format", "cef");
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.err()).contains("unknown SIEM URL 'ftp://x'");

            assertThat(cli(at, "device", "add", "meter-1").exitCode()).isZero();
            assertThat(cli(at, "device", "quarantine", "meter-1", "--reason", "odd traffic").exitCode()).isZero();

            Cli.Result actions = cli(at, "events", "--type", "admin.action", "--json");
            List<JsonNode> recorded = new ArrayList<>();
            for (String line : actions.out().split("\n")) {
                recorded.add(JSON.readTree(line));
            }
            assertThat(recorded).extracting(e -> e.path("details").path("method").asText() + " "
                            + e.path("details").path("path").asText() + " " + e.path("details").path("outcome").asText())
                    .containsExactly("POST /api/v1/siem succeeded", "POST /api/v1/siem refused",
                            "POST /api/v1/devices succeeded", "POST /api/v1/devices/meter-1/quarantine succeeded");
            assertThat(recorded).allSatisfy(e -> assertThat(e.path("details").path("actor").asText()).startsWith("admin@"));

            List<String> received = awaitLines(lines -> lines.stream().anyMatch(l -> l.contains("|device.quarantined|"))
                    && lines.stream().filter(l -> l.contains("|admin.action|")).count() >= 4);
            assertThat(received).allSatisfy(line -> assertThat(line).contains("CEF:0|Palisade|Palisade|"));
            assertThat(received).noneMatch(line -> line.contains("|auth.failed|"));

            Cli.Result listed = cli(at, "siem", "list", "--json");
            JsonNode soc = JSON.readTree(listed.out()).path("destinations").get(0);
            assertThat(soc.path("state").asText()).isEqualTo("delivering");

            Cli.Result verified = cli(at, "audit", "verify");
            assertThat(verified.exitCode()).as(verified.err()).isZero();
            assertThat(verified.out()).startsWith("intact: ");

            // Prometheus metrics, read by curl with the admin token as a scraper would
            String token = Files.readString(data.resolve("admin.token")).strip();
            String url = "https://127.0.0.1:" + palisade.port + "/metrics";
            String ca = data.resolve("ca").resolve("root.crt").toString();
            Processes.Result metrics = Processes.run(List.of("curl", "-sS", "--cacert", ca, "-H",
                    "Authorization: Bearer " + token, url));
            assertThat(metrics.output())
                    .contains("palisade_events_total{severity=\"info\",type=\"admin.action\"} 3.0") // succeeded
                    .contains("palisade_events_total{severity=\"low\",type=\"admin.action\"} 1.0") // refused
                    .containsPattern("palisade_events_total\\{severity=\"high\",type=\"device.quarantined\"} 1.0")
                    .contains("palisade_siem_backlog{destination=\"soc\"}", "palisade_siem_failing{destination=\"soc\"} 0.0",
                            "palisade_connections 0.0", "palisade_store_append_seconds_count", "jvm_memory_used_bytes");
            Processes.Result anonymous = Processes.run(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                    "--cacert", ca, url));
            assertThat(anonymous.output()).isEqualTo("401");

            // An operator through the CLI: added, logged in (password on stdin), acting with --token-file
            Cli.Result operator = cli(at, "operator", "add", "ollie", "--role", "operator", "--json");
            assertThat(operator.exitCode()).as(operator.err()).isZero();
            String password = JSON.readTree(operator.out()).path("password").asText();
            java.io.InputStream stdin = System.in;
            Cli.Result login;
            try {
                System.setIn(new java.io.ByteArrayInputStream((password + "\n").getBytes(StandardCharsets.UTF_8)));
                login = cli(at, "operator", "login", "ollie");
            } finally {
                System.setIn(stdin);
            }
            assertThat(login.exitCode()).as(login.err()).isZero();
            Path tokenFile = dir.resolve("ollie.token");
            Files.writeString(tokenFile, login.out());
            String[] asOllie = {"--data", data.toString(), "--token-file", tokenFile.toString()};
            assertThat(cli(asOllie, "device", "release", "meter-1").exitCode()).as("incident handling").isZero();
            Cli.Result forbidden = cli(asOllie, "device", "add", "meter-2");
            assertThat(forbidden.exitCode()).isNotZero();
            assertThat(forbidden.err()).contains("ollie (role operator) may not POST /api/v1/devices");
            // ... and changing her own password (current, then new, on stdin); the admin token cannot.
            Cli.Result changed;
            try {
                System.setIn(new java.io.ByteArrayInputStream((password + "\nollie's new passphrase\n")
                        .getBytes(StandardCharsets.UTF_8)));
                changed = cli(asOllie, "operator", "change-password");
            } finally {
                System.setIn(stdin);
            }
            assertThat(changed.exitCode()).as(changed.err()).isZero();
            assertThat(changed.out()).isEqualTo("password of ollie changed; other browser sessions ended\n");
            Cli.Result notAnOperator;
            try {
                System.setIn(new java.io.ByteArrayInputStream("a\nbbbbbbbbbbbbbbbb\n".getBytes(StandardCharsets.UTF_8)));
                notAnOperator = cli(at, "operator", "change-password");
            } finally {
                System.setIn(stdin);
            }
            assertThat(notAnOperator.exitCode()).isNotZero();
            assertThat(notAnOperator.err()).contains("the admin token is not an operator");

            Cli.Result checked = cli(at, "audit", "run");
            assertThat(checked.exitCode()).as(checked.out() + checked.err()).isZero();
            assertThat(checked.out()).isEqualTo("no findings\n");
            cli(at, "policy", "set", "profile", "default", "--subscribe-allow", "devices/+/status");
            Cli.Result found = cli(at, "audit", "run");
            assertThat(found.exitCode()).isEqualTo(3);
            assertThat(found.out()).contains("medium  policy-reaches-other-devices  the profile default policy lets"
                    + " its devices subscribe on 'devices/+/status'");
            JsonNode change = JSON.readTree(cli(at, "events", "--type", "admin.change", "--json").out().split("\n")[0]);
            assertThat(change.path("details").path("what").asText()).isEqualTo("policy");
            assertThat(change.path("details").path("subject").asText()).isEqualTo("profile default");
            assertThat(change.path("details").path("before").asText()).isEqualTo("none");
            assertThat(change.path("details").path("after").asText()).contains("devices/+/status");
            assertThat(change.path("details").path("actor").asText()).startsWith("admin@");
            assertThat(palisade.stop()).as("SIGTERM stops cleanly").isIn(0, 143);
        }

        // Someone with the database file edits an event while Palisade is stopped.
        Process edit = new ProcessBuilder("sqlite3", data.resolve("palisade.db").toString(),
                "UPDATE events SET message = 'nothing to see' WHERE type = 'device.quarantined'")
                .redirectErrorStream(true).start();
        assertThat(new String(edit.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
        assertThat(edit.waitFor()).isZero();
        try (PalisadeProcess palisade = PalisadeProcess.start(data, PalisadeProcess.freePort(), PalisadeProcess.freePort())) {
            Cli.Result quarantined = cli(at, "events", "--type", "device.quarantined", "--json");
            long id = JSON.readTree(quarantined.out().split("\n")[0]).path("id").asLong();
            Cli.Result verified = cli(at, "audit", "verify");
            assertThat(verified.exitCode()).isEqualTo(3);
            assertThat(verified.err()).contains("audit chain broken at event " + id + ": event " + id + " does not follow");
            Cli.Result after = cli(at, "audit", "verify", "--from", Long.toString(id), "--json");
            assertThat(JSON.readTree(after.out()).path("intact").asBoolean()).as("after the edited event").isTrue();
        }
    }

    private static Cli.Result cli(String[] at, String... args) {
        String[] all = new String[args.length + at.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(at, 0, all, args.length, at.length);
        return Cli.run(all);
    }

    /** rsyslog with a plain TCP input (octet counting) on a free loopback port, writing each message as a line. */
    private int startRsyslog() throws Exception {
        int port = PalisadeProcess.freePort();
        Path work = Files.createDirectories(dir.resolve("rsyslog"));
        Files.writeString(work.resolve("rsyslog.conf"), String.join("\n",
                "global(workDirectory=\"" + work + "\")",
                "module(load=\"imtcp\")",
                "input(type=\"imtcp\" port=\"" + port + "\" address=\"127.0.0.1\")",
                "template(name=\"message\" type=\"string\" string=\"%msg%\\n\")",
                "action(type=\"omfile\" file=\"" + work + "/received.log\" template=\"message\")", ""));
        rsyslog = new ProcessBuilder("rsyslogd", "-n", "-f", work + "/rsyslog.conf", "-i", work + "/rsyslog.pid")
                .redirectErrorStream(true).redirectOutput(work.resolve("rsyslog.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return port;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("rsyslog did not listen: " + Files.readString(work.resolve("rsyslog.out")));
    }

    private List<String> awaitLines(java.util.function.Predicate<List<String>> done) throws Exception {
        Path log = dir.resolve("rsyslog").resolve("received.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            if (done.test(lines)) {
                return lines;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("rsyslog received: " + lines);
    }
}
