package io.palisade.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.control.service.Refusal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code GET /api/v1/detection/evaluation}: the latest detection evaluation's report, as {@code palisade detect eval}
 * kept it in the data directory (404 before the first). Served whether or not detection runs on this instance: the
 * evaluation runs the detector on a simulated fleet, not on this one.
 */
public final class EvaluationRoutes {

    /** A report is a few kilobytes; a file much larger than this is not one. */
    static final long MAX_REPORT_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path report;
    private final AdminAuthenticator authenticator;

    public EvaluationRoutes(Path report, AdminAuthenticator authenticator) {
        this.report = report;
        this.authenticator = authenticator;
    }

    public void register(Router router) {
        router.add("GET", AdminApiRoutes.PREFIX + "detection/evaluation", authenticator.guard((call, p) ->
                HttpReply.json(200, read())), HttpReply::jsonError);
    }

    private JsonNode read() throws Refusal {
        try {
            if (Files.size(report) > MAX_REPORT_BYTES) {
                throw new Refusal(Refusal.Kind.CONFLICT, "the evaluation report " + report + " is larger than "
                        + MAX_REPORT_BYTES + " bytes; run palisade detect eval again");
            }
            JsonNode node = JSON.readTree(report.toFile());
            if (node == null || !node.isObject()) {
                throw new Refusal(Refusal.Kind.CONFLICT, "the evaluation report " + report
                        + " is not a JSON object; run palisade detect eval again");
            }
            return node;
        } catch (NoSuchFileException e) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "no detection evaluation recorded yet: run palisade detect eval"
                    + " on this host");
        } catch (IOException e) {
            throw new Refusal(Refusal.Kind.CONFLICT, "the evaluation report " + report + " cannot be read: "
                    + e.getMessage());
        }
    }
}
