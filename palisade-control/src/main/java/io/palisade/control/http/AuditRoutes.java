package io.palisade.control.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.control.service.AuditChecks;
import io.palisade.control.service.AuditService;
import io.palisade.control.service.Refusal;
import io.palisade.core.audit.ChainVerdict;

/**
 * The audit trail and audit checks: {@code GET /api/v1/audit/verify?from=ID} walks the audit chain after event ID
 * (all of it by default) and answers whether it is intact, and where and why not; {@code POST /api/v1/audit/run}
 * runs every audit check now and answers with the findings (each also an {@code audit.finding} event);
 * {@code GET /api/v1/audit/findings} answers with the latest run's.
 */
public final class AuditRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final AuditService audit;
    private final AuditChecks checks;
    private final AdminAuthenticator authenticator;

    public AuditRoutes(AuditService audit, AuditChecks checks, AdminAuthenticator authenticator) {
        this.audit = audit;
        this.checks = checks;
        this.authenticator = authenticator;
    }

    public void register(Router router) {
        router.add("GET", AdminApiRoutes.PREFIX + "audit/verify", authenticator.guard((call, p) -> {
            long from;
            try {
                from = Long.parseLong(call.queryParameter("from").orElse("0"));
                if (from < 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new Refusal(Refusal.Kind.MALFORMED, "'from' must be an event id (0 or more)");
            }
            return HttpReply.json(200, verdict(audit.verify(from), from));
        }), HttpReply::jsonError);
        router.add("POST", AdminApiRoutes.PREFIX + "audit/run", authenticator.guard((call, p) ->
                HttpReply.json(200, findings(checks.runNow(JsonBodies.actor(call))))), HttpReply::jsonError);
        router.add("GET", AdminApiRoutes.PREFIX + "audit/findings", authenticator.guard((call, p) ->
                HttpReply.json(200, findings(checks.latest()))), HttpReply::jsonError);
    }

    private static ObjectNode findings(java.util.List<AuditChecks.Finding> findings) {
        ObjectNode node = JSON.createObjectNode();
        com.fasterxml.jackson.databind.node.ArrayNode list = node.putArray("findings");
        for (AuditChecks.Finding finding : findings) {
            ObjectNode item = list.addObject().put("check", finding.check()).put("subject", finding.subject())
                    .put("severity", finding.severity().wireName()).put("message", finding.message());
            finding.device().ifPresent(device -> item.put("device", device.value()));
        }
        return node;
    }

    private static ObjectNode verdict(ChainVerdict verdict, long from) {
        ObjectNode node = JSON.createObjectNode().put("intact", verdict.intact()).put("from", from)
                .put("checked", verdict.checked()).put("unchained", verdict.unchained())
                .put("checkpoints", verdict.checkpoints()).put("gaps", verdict.gaps())
                .put("unsigned_tail", verdict.unsignedTail());
        verdict.brokenAt().ifPresent(id -> node.put("broken_at", id).put("reason", verdict.reason()));
        return node;
    }
}
