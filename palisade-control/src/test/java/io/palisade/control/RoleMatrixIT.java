package io.palisade.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.pki.Pem;
import io.palisade.pki.TlsPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators and roles over real HTTPS, route by route: every API route refuses a request without a token, and
 * for each role every route answers 403 exactly where the documented matrix says the role may not go. The
 * matrix is also spelled out for a handful of routes by hand, so that a change to it shows here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoleMatrixIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Routes served without a token by design: enrollment, CRL, update repository, health, login. */
    private static final List<String> PUBLIC = List.of("/.well-known/", "/pki/", "/tuf/", "/health", "/api/v1/health", "/api/v1/login",
            "/api/v1/openapi.yaml", "/api/v1/session");

    @TempDir
    static Path dir;
    private ControlPlane plane;
    private HttpClient client;
    private String base;
    private String bootstrap;
    private final Map<String, String> tokens = new LinkedHashMap<>();

    @BeforeAll
    void start() throws Exception {
        plane = ControlPlane.start(ControlPlaneConfig.defaults(dir.resolve("data")).withPort(0)
                .withBindAddress("127.0.0.1"), Clock.systemUTC());
        base = "https://localhost:" + plane.httpsPort();
        bootstrap = Files.readString(new DataDirectory(dir.resolve("data")).adminTokenFile()).strip();
        client = HttpClient.newBuilder().sslContext(TlsPolicy.clientContext(
                Pem.readCertificates(new DataDirectory(dir.resolve("data")).rootCaFile()))).build();
        for (String role : List.of("viewer", "auditor", "operator", "admin")) {
            JsonNode added = call("POST", "/api/v1/operators", bootstrap,
                    "{\"name\":\"" + role + "-1\",\"role\":\"" + role + "\"}").body;
            assertThat(added.path("password").asText()).hasSizeGreaterThanOrEqualTo(20);
            JsonNode login = call("POST", "/api/v1/login", null, "{\"name\":\"" + role + "-1\",\"password\":\""
                    + added.path("password").asText() + "\"}").body;
            tokens.put(role, login.path("token").asText());
        }
    }

    @AfterAll
    void stop() {
        plane.close();
    }

    record Answer(int status, JsonNode body) {
    }

    private Answer call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (Exception notJson) {
            json = JSON.createObjectNode();
        }
        return new Answer(response.statusCode(), json);
    }

    private List<String[]> apiRoutes() {
        List<String[]> routes = new ArrayList<>();
        for (String route : plane.routes()) {
            String[] parts = route.split(" ", 2);
            String path = parts[1].replaceAll("\\{[^}]+}", "x").replace("**", "x");
            // The web console's pages are not API routes: ConsoleIT checks that each needs a session.
            boolean api = path.startsWith("/api/") || path.equals("/metrics");
            if (api && PUBLIC.stream().noneMatch(path::startsWith)) {
                routes.add(new String[]{parts[0], path});
            }
        }
        return routes;
    }

    @Test
    void every_api_route_refuses_a_request_without_a_valid_token() throws Exception {
        assertThat(apiRoutes()).hasSizeGreaterThan(40);
        for (String[] route : apiRoutes()) {
            // 401, or 429 once this address has failed too often: refused before the route either way
            assertThat(call(route[0], route[1], null, "{}").status()).as(route[0] + " " + route[1]).isIn(401, 429);
        }
        assertThat(call("GET", "/api/v1/devices", "pot_not-a-real-token", null).status()).isIn(401, 429);
    }

    @Test
    void each_role_meets_403_exactly_where_the_matrix_forbids_it() throws Exception {
        for (String role : List.of("viewer", "auditor", "operator", "admin")) {
            io.palisade.core.operator.Role parsed = io.palisade.core.operator.Role.parse(role);
            for (String[] route : apiRoutes()) {
                if (route[1].endsWith("/admin/token/rotate")) {
                    continue; // would replace the bootstrap token the other tests use; it needs administer like the rest
                }
                boolean allowed = parsed.may(io.palisade.control.http.RoleMatrixAccess.required(route[0], route[1]));
                int status = call(route[0], route[1], tokens.get(role), "{}").status();
                assertThat(status == 403).as(role + " " + route[0] + " " + route[1] + " answered " + status)
                        .isEqualTo(!allowed);
            }
        }
    }

    /** curl with a cookie jar, as a browser keeps the session; returns "STATUS BODY" and, with -D, the headers. */
    private String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--cacert",
                new DataDirectory(dir.resolve("data")).rootCaFile().toString(), "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        int cut = out.lastIndexOf('\n');
        return out.substring(cut + 1) + " " + out.substring(0, Math.max(0, cut));
    }

    @Test
    void a_browser_session_is_an_httponly_strict_cookie_and_every_change_needs_its_csrf_token() throws Exception {
        String password = call("POST", "/api/v1/operators", bootstrap, "{\"name\":\"web-1\",\"role\":\"operator\"}")
                .body.path("password").asText();
        Path jar = dir.resolve("cookies.txt");
        Path headers = dir.resolve("headers.txt");
        String login = curl("-c", jar.toString(), "-D", headers.toString(), "-H", "Content-Type: application/json",
                "-d", "{\"name\":\"web-1\",\"password\":\"" + password + "\"}", base + "/api/v1/session");
        assertThat(login).startsWith("200 ");
        String csrf = JSON.readTree(login.substring(4)).path("csrf_token").asText();
        assertThat(Files.readString(headers)).containsPattern("(?i)set-cookie: palisade_session=pot_[^;]+; Path=/;"
                + " Max-Age=43200; Secure; HttpOnly; SameSite=Strict");
        assertThat(curl("-b", jar.toString(), base + "/api/v1/devices")).as("a read with the cookie").startsWith("200 ");
        assertThat(curl("-b", jar.toString(), "-X", "POST", base + "/api/v1/devices/none/quarantine"))
                .as("a change without the CSRF token").startsWith("403 ").contains("without its CSRF token");
        assertThat(curl("-b", jar.toString(), "-X", "POST", "-H", "X-CSRF-Token: " + csrf.substring(1) + "x",
                base + "/api/v1/devices/none/quarantine")).as("a wrong CSRF token").startsWith("403 ");
        assertThat(curl("-b", jar.toString(), "-X", "POST", "-H", "X-CSRF-Token: " + csrf,
                base + "/api/v1/devices/none/quarantine")).as("with it: past the guard").startsWith("404 ");
        assertThat(curl("-b", jar.toString(), "-X", "POST", "-H", "X-CSRF-Token: " + csrf, "-H",
                "Content-Type: application/json", "-d", "{\"id\":\"d9\"}", base + "/api/v1/devices"))
                .as("the operator role still holds").startsWith("403 ");
        String cookie = Files.readAllLines(jar).stream().filter(line -> line.contains("palisade_session"))
                .map(line -> line.substring(line.lastIndexOf('\t') + 1)).findFirst().orElseThrow();
        assertThat(curl("-b", jar.toString(), "-c", jar.toString(), "-X", "DELETE", base + "/api/v1/session"))
                .startsWith("200 ");
        assertThat(curl("-b", jar.toString(), base + "/api/v1/devices")).as("the browser dropped it").startsWith("401 ");
        assertThat(curl("-H", "Cookie: palisade_session=" + cookie, base + "/api/v1/devices"))
                .as("and the server ended it").startsWith("401 ");
    }

    @Test
    void the_matrix_as_documented() throws Exception {
        // viewer: reads only
        assertThat(call("GET", "/api/v1/devices", tokens.get("viewer"), null).status()).isEqualTo(200);
        assertThat(call("POST", "/api/v1/policies/test", tokens.get("viewer"), "{}").status()).isNotEqualTo(403);
        assertThat(call("POST", "/api/v1/devices/x/quarantine", tokens.get("viewer"), "{}").status()).isEqualTo(403);
        assertThat(call("GET", "/api/v1/audit/verify", tokens.get("viewer"), null).status()).isEqualTo(403);
        // auditor: reads and the audit trail
        assertThat(call("GET", "/api/v1/audit/verify", tokens.get("auditor"), null).status()).isEqualTo(200);
        assertThat(call("POST", "/api/v1/devices/x/quarantine", tokens.get("auditor"), "{}").status()).isEqualTo(403);
        // operator: incidents, not administration
        assertThat(call("POST", "/api/v1/devices/x/quarantine", tokens.get("operator"), "{}").status()).isEqualTo(404);
        assertThat(call("POST", "/api/v1/devices", tokens.get("operator"), "{\"id\":\"d1\"}").status()).isEqualTo(403);
        assertThat(call("PUT", "/api/v1/policies/profile/default", tokens.get("operator"), "{}").status()).isEqualTo(403);
        assertThat(call("GET", "/api/v1/operators", tokens.get("operator"), null).status()).isEqualTo(403);
        assertThat(call("GET", "/api/v1/audit/verify", tokens.get("operator"), null).status()).isEqualTo(403);
        // admin: everything
        assertThat(call("POST", "/api/v1/devices", tokens.get("admin"), "{\"id\":\"d1\"}").status()).isEqualTo(201);
        assertThat(call("GET", "/api/v1/operators", tokens.get("admin"), null).status()).isEqualTo(200);
        // a forbidden attempt is recorded: who, what, and the permission it lacked
        JsonNode events = call("GET", "/api/v1/events?type=admin.action&limit=1000", bootstrap, null).body;
        assertThat(events.path("events").toString()).contains("operator-1 (role operator) may not POST /api/v1/devices");
    }
}
