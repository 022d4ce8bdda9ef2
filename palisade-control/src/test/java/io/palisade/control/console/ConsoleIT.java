package io.palisade.control.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.control.ControlPlane;
import io.palisade.control.ControlPlaneConfig;
import io.palisade.control.DataDirectory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console over real HTTPS with curl as the browser: every page needs a session, changes need the session's
 * CSRF token and a same-origin post, a viewer can look but not act, what an attacker types is shown escaped, the
 * live timeline streams what happens, and the pages carry the strict Content-Security-Policy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private ControlPlane plane;
    private String base;
    private String bootstrap;
    private final java.util.Map<String, String> passwords = new java.util.HashMap<>();

    @BeforeAll
    void start() throws Exception {
        plane = ControlPlane.start(ControlPlaneConfig.defaults(dir.resolve("data")).withPort(0)
                .withBindAddress("127.0.0.1"), Clock.systemUTC());
        base = "https://127.0.0.1:" + plane.httpsPort();
        bootstrap = Files.readString(new DataDirectory(dir.resolve("data")).adminTokenFile()).strip();
        for (String role : List.of("operator", "viewer", "auditor")) {
            JsonNode added = JSON.readTree(body(curl("-H", "Authorization: Bearer " + bootstrap, "-H",
                    "Content-Type: application/json", "-d", "{\"name\":\"" + role + "-1\",\"role\":\"" + role + "\"}",
                    base + "/api/v1/operators")));
            passwords.put(role, added.path("password").asText());
        }
        for (String id : List.of("pump-1", "pump-2", "valve-7", "fan-3")) {
            curl("-H", "Authorization: Bearer " + bootstrap, "-H", "Content-Type: application/json", "-d",
                    "{\"id\":\"" + id + "\",\"segment\":\"" + (id.startsWith("pump") ? "water" : "steam") + "\"}",
                    base + "/api/v1/devices");
        }
    }

    @AfterAll
    void stop() {
        plane.close();
    }

    @Test
    void every_page_needs_a_session() throws Exception {
        int pages = 0;
        for (String route : plane.routes()) {
            String[] parts = route.split(" ", 2);
            String path = parts[1].replaceAll("\\{[^}]+}", "x");
            // Not console pages: the API, EST, the CRL, TUF, health, metrics, static files, the login page, and the
            // routes where devices prove themselves with their certificate: RFID readers claiming a tag password,
            // attestation at enrollment.
            boolean console = !path.startsWith("/api/") && !path.startsWith("/.well-known/") && !path.startsWith("/pki/")
                    && !path.startsWith("/tuf/") && !path.equals("/health") && !path.equals("/metrics")
                    && !path.startsWith("/static/") && !path.equals("/login") && !path.equals("/rfid/claim")
                    && !path.startsWith("/attest/");
            if (!console) {
                continue;
            }
            pages++;
            String answer = parts[0].equals("GET") ? curl("-D", "-", base + path)
                    : curl("-D", "-", "-d", "csrf=x", base + path);
            if (path.equals("/timeline/stream")) {
                assertThat(answer).as(route).startsWith("401 ");
            } else {
                assertThat(answer).as(route).startsWith("303 ").containsIgnoringCase("location: /login");
            }
        }
        assertThat(pages).as("console routes found").isGreaterThanOrEqualTo(10);
        assertThat(curl(base + "/static/htmx.min.js")).startsWith("200 ");
        assertThat(curl(base + "/static/../../etc/passwd")).doesNotStartWith("200 ");
        assertThat(curl(base + "/static/secret.txt")).startsWith("404 ");
    }

    @Test
    void a_failed_login_says_only_that_and_an_open_redirect_is_refused() throws Exception {
        String failed = curl("-d", "name=operator-1&password=not-the-password", base + "/login");
        assertThat(failed).startsWith("401 ").contains("Login failed.").doesNotContain("operator-1</");
        Path jar = dir.resolve("redirect.jar");
        String signedIn = curl("-D", "-", "-c", jar.toString(), "--data-urlencode", "name=viewer-1",
                "--data-urlencode", "password=" + passwords.get("viewer"), "--data-urlencode",
                "next=//evil.example/x", base + "/login");
        assertThat(signedIn).startsWith("303 ").containsIgnoringCase("location: /\r\n")
                .containsIgnoringCase("set-cookie: palisade_session=").contains("HttpOnly").contains("SameSite=Strict");
        assertThat(curl("-D", "-", "-H", "Origin: https://evil.example", "-d", "name=viewer-1&password=x",
                base + "/login")).as("a login posted from another site").startsWith("403 ");
    }

    @Test
    void with_totp_on_the_login_form_needs_the_code_from_the_authenticator_app() throws Exception {
        String password = "totp user's passphrase";
        curl("-H", "Authorization: Bearer " + bootstrap, "-H", "Content-Type: application/json", "-d",
                "{\"name\":\"totp-1\",\"role\":\"viewer\",\"password\":\"" + password + "\"}", base + "/api/v1/operators");
        String uri = JSON.readTree(body(curl("-X", "POST", "-H", "Authorization: Bearer " + bootstrap,
                base + "/api/v1/operators/totp-1/totp"))).path("uri").asText();
        String secret = uri.substring(uri.indexOf("secret=") + 7, uri.indexOf('&', uri.indexOf("secret=")));
        assertThat(curl("--data-urlencode", "name=totp-1", "--data-urlencode", "password=" + password, base + "/login"))
                .as("no code").startsWith("401 ").contains("Login failed.");
        Process oathtool = new ProcessBuilder("oathtool", "--totp", "-b", secret).redirectErrorStream(true).start();
        String code = new String(oathtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(oathtool.waitFor()).as(code).isZero();
        assertThat(curl("-D", "-", "--data-urlencode", "name=totp-1", "--data-urlencode", "password=" + password,
                "--data-urlencode", "totp=" + code, base + "/login")).startsWith("303 ")
                .containsIgnoringCase("set-cookie: palisade_session=");
    }

    @Test
    void an_operator_quarantines_through_the_confirmation_with_its_csrf_token() throws Exception {
        Path jar = signIn("operator");
        String inventory = curl("-D", "-", "-b", jar.toString(), base + "/?segment=steam");
        assertThat(inventory).startsWith("200 ").contains(">valve-7<").doesNotContain(">pump-1<")
                .containsIgnoringCase("content-security-policy: default-src 'none'; script-src 'self'; style-src 'self'")
                .containsIgnoringCase("x-frame-options: DENY");
        assertThat(curl("-b", jar.toString(), base + "/?q=PUMP")).contains(">pump-1<", ">pump-2<").doesNotContain(">valve-7<");

        String confirm = curl("-b", jar.toString(), base + "/devices/pump-1/quarantine");
        assertThat(confirm).startsWith("200 ").contains("Confirm: Quarantine pump-1");
        String csrf = confirm.replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        assertThat(csrf).hasSizeGreaterThan(20);

        assertThat(curl("-b", jar.toString(), "-d", "reason=x", base + "/devices/pump-1/quarantine"))
                .as("without the CSRF token").startsWith("403 ").contains("without its CSRF token");
        assertThat(curl("-b", jar.toString(), "-H", "Sec-Fetch-Site: cross-site", "-d", "csrf=" + csrf,
                base + "/devices/pump-1/quarantine")).as("from another site").startsWith("403 ");
        assertThat(device("pump-1").path("quarantined").asBoolean()).isFalse();

        String done = curl("-D", "-", "-b", jar.toString(), "--data-urlencode", "csrf=" + csrf, "--data-urlencode",
                "reason=odd writes", base + "/devices/pump-1/quarantine");
        assertThat(done).startsWith("303 ").containsIgnoringCase("location: /devices/pump-1?done=quarantine");
        assertThat(device("pump-1").path("quarantined").asBoolean()).isTrue();
        String page = curl("-b", jar.toString(), base + "/devices/pump-1?done=quarantine");
        assertThat(page).contains("Device pump-1 was quarantined.").contains("odd writes")
                .contains("href=\"/devices/pump-1/release\"").doesNotContain("href=\"/devices/pump-1/quarantine\"")
                .as("revoking needs the admin role").doesNotContain("/devices/pump-1/revoke");
        assertThat(curl("-b", jar.toString(), base + "/devices/pump-1/revoke")).startsWith("403 ");
        assertThat(curl("-b", jar.toString(), base + "/devices/pump-1/explode")).startsWith("404 ");
    }

    @Test
    void a_large_fleet_is_shown_a_page_at_a_time() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(io.palisade.pki.TlsPolicy
                .clientContext(io.palisade.pki.Pem.readCertificates(Path.of(caFile())))).build();
        for (int i = 0; i < FleetPages.PAGE_SIZE + 1; i++) {
            java.net.http.HttpResponse<String> added = client.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "/api/v1/devices")).header("Authorization", "Bearer " + bootstrap)
                    .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            String.format("{\"id\":\"bulk-%03d\"}", i))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        }
        Path jar = signIn("viewer");
        String first = curl("-b", jar.toString(), base + "/?q=bulk");
        assertThat(first).contains("Devices 1–250 of 251 matching").contains(">bulk-249<").doesNotContain(">bulk-250<")
                .contains("Page 1 of 2").contains("href=\"/?page=2&amp;q=bulk\"");
        String second = curl("-b", jar.toString(), base + "/?page=2&q=bulk");
        assertThat(second).contains("Devices 251–251 of 251 matching").contains(">bulk-250<")
                .doesNotContain(">bulk-249<").contains("rel=\"prev\"");
        assertThat(curl("-b", jar.toString(), base + "/?page=999&q=bulk")).as("past the end: the last page")
                .contains("Page 2 of 2");
        assertThat(curl("-b", jar.toString(), base + "/?q=nothing-like-this")).contains("No device matches.");
    }

    @Test
    void an_operator_changes_their_own_password_in_the_console() throws Exception {
        Path jar = signIn("auditor");
        String form = curl("-b", jar.toString(), base + "/account");
        assertThat(form).startsWith("200 ").contains("Signed in as <strong>auditor-1</strong>");
        String csrf = form.replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        String newPassword = "auditor's new passphrase";
        assertThat(curl("-b", jar.toString(), "--data-urlencode", "csrf=" + csrf, "--data-urlencode",
                "current=" + passwords.get("auditor"), "--data-urlencode", "new=" + newPassword, "--data-urlencode",
                "confirm=something else", base + "/account")).startsWith("400 ").contains("differ");
        assertThat(curl("-b", jar.toString(), "--data-urlencode", "csrf=" + csrf, "--data-urlencode",
                "current=not the password", "--data-urlencode", "new=" + newPassword, "--data-urlencode",
                "confirm=" + newPassword, base + "/account")).startsWith("403 ").contains("current password is not right");
        assertThat(curl("-D", "-", "-b", jar.toString(), "--data-urlencode", "csrf=" + csrf, "--data-urlencode",
                "current=" + passwords.get("auditor"), "--data-urlencode", "new=" + newPassword, "--data-urlencode",
                "confirm=" + newPassword, base + "/account")).startsWith("303 ")
                .containsIgnoringCase("location: /account?done=password");
        assertThat(curl("-b", jar.toString(), base + "/account?done=password")).as("this session stays")
                .contains("Your password was changed");
        assertThat(curl("-d", "name=auditor-1&password=" + passwords.get("auditor").replace("+", "%2B"), base + "/login"))
                .as("the old password").startsWith("401 ");
        passwords.put("auditor", newPassword);
        signIn("auditor");
    }

    @Test
    void the_policies_page_shows_the_modbus_firewalls_rules() throws Exception {
        curl("-X", "PUT", "-H", "Authorization: Bearer " + bootstrap, "-H", "Content-Type: application/json", "-d",
                "{\"sources\": [\"10.0.0.0/24\"], \"units\": \"1-2\", \"functions\": [3, 16],"
                        + " \"ranges\": {\"holding-registers\": \"0-99\"}, \"read_only\": true}",
                base + "/api/v1/modbus/rules/hmi");
        String page = curl("-b", signIn("viewer").toString(), base + "/policies");
        assertThat(page).startsWith("200 ").contains("<td>hmi</td>").contains("10.0.0.0/24").contains("<td>1-2</td>")
                .contains("holding-registers 0-99").contains("read-only");
    }

    @Test
    void a_viewer_sees_devices_but_no_action_and_cannot_post_one() throws Exception {
        Path jar = signIn("viewer");
        String page = curl("-b", jar.toString(), base + "/devices/valve-7");
        assertThat(page).startsWith("200 ").contains("Device valve-7").doesNotContain("class=\"actions\"");
        String csrf = page.replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        assertThat(curl("-b", jar.toString(), "-d", "csrf=" + csrf, base + "/devices/valve-7/quarantine"))
                .startsWith("403 ").contains("may not");
        assertThat(device("valve-7").path("quarantined").asBoolean()).isFalse();
        assertThat(curl("-b", jar.toString(), base + "/audit")).as("the audit trail needs the audit permission")
                .startsWith("403 ");
    }

    @Test
    void what_an_attacker_types_is_shown_as_text() throws Exception {
        curl("-H", "Content-Type: application/json", "-d",
                "{\"name\":\"<script>alert(1)</script>\",\"password\":\"x\"}", base + "/api/v1/login");
        Path jar = signIn("operator");
        String timeline = curl("-b", jar.toString(), base + "/timeline?type=auth.failed");
        assertThat(timeline).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)");
        assertThat(curl("-b", jar.toString(), base + "/timeline?type=no.such.type")).startsWith("400 ")
                .contains("bad timeline filter");
    }

    @Test
    void the_live_timeline_streams_matching_events_as_they_happen() throws Exception {
        Path jar = signIn("operator");
        Process stream = new ProcessBuilder("curl", "-sS", "-N", "--cacert", caFile(), "-b", jar.toString(),
                "--max-time", "30", base + "/timeline/stream?device=pump-2").redirectErrorStream(true).start();
        try {
            InputStream out = stream.getInputStream();
            StringBuilder received = new StringBuilder();
            readUntil(out, received, ": connected");
            curl("-H", "Authorization: Bearer " + bootstrap, "-H", "Content-Type: application/json", "-d",
                    "{\"reason\":\"live\"}", base + "/api/v1/devices/fan-3/quarantine");
            curl("-H", "Authorization: Bearer " + bootstrap, "-H", "Content-Type: application/json", "-d",
                    "{\"reason\":\"streamed\"}", base + "/api/v1/devices/pump-2/quarantine");
            readUntil(out, received, "</tr>");
            assertThat(received.toString()).contains("event: event\ndata: <tr class=\"severity-high\">")
                    .contains("device.quarantined").contains("device pump-2 quarantined: streamed")
                    .as("another device's event is filtered out").doesNotContain("fan-3");
        } finally {
            stream.destroy();
            stream.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void readUntil(InputStream in, StringBuilder into, String marker) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!into.toString().contains(marker)) {
            assertThat(System.nanoTime()).as("waiting for " + marker + " in " + into).isLessThan(deadline);
            int b = in.read();
            assertThat(b).as("the stream ended before " + marker + ": " + into).isNotNegative();
            into.append((char) b);
        }
    }

    private JsonNode device(String id) throws Exception {
        return JSON.readTree(body(curl("-H", "Authorization: Bearer " + bootstrap, base + "/api/v1/devices/" + id)));
    }

    private Path signIn(String role) throws Exception {
        Path jar = Files.createTempFile(dir, role, ".jar");
        assertThat(curl("-c", jar.toString(), "--data-urlencode", "name=" + role + "-1", "--data-urlencode",
                "password=" + passwords.get(role), base + "/login")).startsWith("303 ");
        return jar;
    }

    private static String body(String answer) {
        return answer.substring(answer.indexOf(' ') + 1);
    }

    private String caFile() {
        return new DataDirectory(dir.resolve("data")).rootCaFile().toString();
    }

    /** curl; returns "STATUS BODY" (with -D -, the headers start the body). */
    private String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--cacert", caFile(), "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        int cut = out.lastIndexOf('\n');
        return out.substring(cut + 1) + " " + out.substring(0, Math.max(0, cut));
    }
}
