package io.palisade.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import io.palisade.control.http.OpenApiRoutes;
import io.palisade.pki.Pem;
import io.palisade.pki.TlsPolicy;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code openapi.yaml} against the running API: every {@code /api/v1} route is described, the description is the
 * one served, and real requests with their real answers (successes and refusals) validate against it
 * (Atlassian's swagger-request-validator).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiIT {

    @TempDir
    static Path dir;
    private ControlPlane plane;
    private HttpClient client;
    private String base;
    private String token;
    private String yaml;
    private OpenApiInteractionValidator validator;

    @BeforeAll
    void start() throws Exception {
        plane = ControlPlane.start(ControlPlaneConfig.defaults(dir.resolve("data")).withPort(0)
                .withBindAddress("127.0.0.1"), io.palisade.core.fleet.FleetChannel.NONE, Clock.systemUTC(),
                java.util.Optional.of(io.palisade.detect.DetectionConfig.defaults())); // with detection's routes
        base = "https://localhost:" + plane.httpsPort();
        token = Files.readString(new DataDirectory(dir.resolve("data")).adminTokenFile()).strip();
        client = HttpClient.newBuilder().sslContext(TlsPolicy.clientContext(
                Pem.readCertificates(new DataDirectory(dir.resolve("data")).rootCaFile()))).build();
        yaml = new String(OpenApiRoutes.description(), StandardCharsets.UTF_8);
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(yaml).withBasePathOverride("/api/v1")
                .build();
    }

    @AfterAll
    void stop() {
        plane.close();
    }

    /** Sends the request for real and validates it and its answer; returns the answer's body. */
    private String check(String method, String path, String body) throws Exception {
        return check(method, path, body, true);
    }

    /** A request the description itself rules out (a limit too high): only the refusal it gets is validated. */
    private String checkRefused(String method, String path, String body) throws Exception {
        return check(method, path, body, false);
    }

    private String check(String method, String path, String body, boolean validRequest) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String pathOnly = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        SimpleRequest.Builder modeled = new SimpleRequest.Builder(Request.Method.valueOf(method), pathOnly)
                .withHeader("Authorization", "Bearer " + token);
        if (path.contains("?")) {
            for (String pair : path.substring(path.indexOf('?') + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                modeled.withQueryParam(kv[0], kv[1]);
            }
        }
        if (body != null) {
            modeled.withContentType("application/json").withBody(body);
        }
        SimpleResponse.Builder answer = SimpleResponse.Builder.status(response.statusCode())
                .withBody(response.body());
        response.headers().firstValue("content-type").ifPresent(type -> answer.withContentType(type.split(";")[0]));
        ValidationReport report = validRequest ? validator.validate(modeled.build(), answer.build())
                : validator.validateResponse(pathOnly, Request.Method.valueOf(method), answer.build());
        if (!validRequest) {
            assertThat(response.statusCode()).as(method + " " + path).isEqualTo(400);
        }
        assertThat(report.getMessages()).as(method + " " + path + " answered " + response.statusCode() + ": "
                + response.body()).isEmpty();
        return response.body();
    }

    @Test
    void every_api_route_is_described() {
        Set<String> described = new TreeSet<>();
        new OpenAPIV3Parser().readContents(yaml).getOpenAPI().getPaths().forEach((path, item) ->
                item.readOperationsMap().keySet().forEach(method -> described.add(method + " /api/v1"
                        + path.replaceAll("\\{[^}]+}", "{}"))));
        Set<String> served = new TreeSet<>();
        for (String route : plane.routes()) {
            if (route.contains(" /api/v1/")) {
                served.add(route.replaceAll("\\{[^}]+}", "{}"));
            }
        }
        assertThat(described).containsAll(served);
        assertThat(served).containsAll(described);
    }

    @Test
    void real_answers_match_the_description() throws Exception {
        assertThat(check("GET", "/api/v1/openapi.yaml", null)).isEqualTo(yaml);
        check("GET", "/api/v1/health", null);
        check("POST", "/api/v1/devices", "{\"id\":\"meter-1\",\"profile\":\"meter\",\"segment\":\"plant-a\"}");
        check("POST", "/api/v1/devices", "{\"id\":\"meter-1\"}"); // 409
        check("POST", "/api/v1/devices", "{\"id\":\"bad id!\"}"); // 400
        check("GET", "/api/v1/devices", null);
        check("GET", "/api/v1/devices/meter-1", null);
        check("GET", "/api/v1/devices/nope", null); // 404
        check("POST", "/api/v1/devices/meter-1/quarantine", "{\"reason\":\"test\"}");
        check("POST", "/api/v1/devices/meter-1/release", "{}");
        check("GET", "/api/v1/devices/meter-1/certificates", null);
        check("POST", "/api/v1/policies/test", "{\"device\":\"meter-1\",\"topic\":\"devices/meter-1/t\",\"action\":\"publish\"}");
        check("PUT", "/api/v1/policies/profile/meter", "{\"publish\":{\"allow\":[\"telemetry/{id}\"]}}");
        check("GET", "/api/v1/policies", null);
        check("GET", "/api/v1/events?after=0&limit=100", null);
        checkRefused("GET", "/api/v1/events?limit=5000", null);
        check("GET", "/api/v1/siem", null);
        check("POST", "/api/v1/siem", "{\"name\":\"soc\",\"url\":\"ftp://x\",\"format\":\"cef\"}"); // 400
        check("POST", "/api/v1/siem", "{\"name\":\"soc\",\"url\":\"syslog+udp://127.0.0.1:9\",\"format\":\"cef\"}");
        check("GET", "/api/v1/siem", null);
        check("POST", "/api/v1/siem/soc/test", "{}");
        check("DELETE", "/api/v1/siem/soc", null);
        check("GET", "/api/v1/audit/verify", null);
        check("POST", "/api/v1/audit/run", "{}");
        check("GET", "/api/v1/audit/findings", null);
        check("POST", "/api/v1/operators", "{\"name\":\"alice\",\"role\":\"auditor\"}");
        check("GET", "/api/v1/operators", null);
        check("POST", "/api/v1/operators/alice/tokens", "{\"label\":\"ci\",\"ttl_seconds\":3600}");
        check("GET", "/api/v1/operators/alice/tokens", null);
        check("GET", "/api/v1/rollouts", null);
        check("GET", "/api/v1/detection/rules", null);
    }
}
