package io.palisade.control.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.control.service.AuditService;
import io.palisade.control.service.Refusal;
import io.palisade.core.audit.ChainVerdict;

/**
 * {@code GET /api/v1/audit/verify?from=ID}: walks the audit chain after event ID (all of it by default) and
 * answers whether it is intact, and where and why not.
 */
public final class AuditRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final AuditService audit;
    private final AdminAuthenticator authenticator;

    public AuditRoutes(AuditService audit, AdminAuthenticator authenticator) {
        this.audit = audit;
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
