package io.palisade.control.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.palisade.control.http.HttpCall;
import io.palisade.control.http.HttpReply;
import io.palisade.control.http.Router;
import java.util.Map;

/**
 * The security team's other views, each one API read rendered: roll-outs with wave progress, access policies,
 * detection rules and the Modbus firewall's rules, detection (alerts, pending responses, the latest evaluation), SIEM destinations with their backlog,
 * and the audit trail (chain verification and the latest audit-check findings). A role that may not read a view
 * gets the API's reason on an error page.
 */
final class OperationsPages {

    private final InternalApi api;
    private final Pages pages;

    OperationsPages(InternalApi api, Pages pages) {
        this.api = api;
        this.pages = pages;
    }

    void register(Router router, ConsoleRoutes console) {
        router.add("GET", "/rollouts", console.page(this::rollouts), HttpReply::jsonError);
        router.add("GET", "/policies", console.page(this::policies), HttpReply::jsonError);
        router.add("GET", "/detection", console.page(this::detection), HttpReply::jsonError);
        router.add("GET", "/siem", console.page(this::siem), HttpReply::jsonError);
        router.add("GET", "/audit", console.page(this::audit), HttpReply::jsonError);
    }

    private HttpReply rollouts(HttpCall call, Map<String, String> p, Viewer viewer) throws ApiFailure {
        return pages.render(200, "rollouts.jte", Map.of("page", viewer.page("Roll-outs", "rollouts"),
                "rollouts", api.get(call, "/api/v1/rollouts").path("rollouts")));
    }

    private HttpReply policies(HttpCall call, Map<String, String> p, Viewer viewer) throws ApiFailure {
        return pages.render(200, "policies.jte", Map.of("page", viewer.page("Policies and rules", "policies"),
                "policies", api.get(call, "/api/v1/policies").path("policies"),
                "rules", optional(call, "/api/v1/detection/rules"),
                "modbus", api.get(call, "/api/v1/modbus/rules").path("rules")));
    }

    private HttpReply detection(HttpCall call, Map<String, String> p, Viewer viewer) throws ApiFailure {
        return pages.render(200, "detection.jte", Map.of("page", viewer.page("Detection", "detection"),
                "alerts", optional(call, "/api/v1/detection/alerts").path("alerts"),
                "pending", optional(call, "/api/v1/detection/pending").path("pending"),
                "evaluation", optional(call, "/api/v1/detection/evaluation")));
    }

    private HttpReply siem(HttpCall call, Map<String, String> p, Viewer viewer) throws ApiFailure {
        return pages.render(200, "siem.jte", Map.of("page", viewer.page("SIEM export", "siem"),
                "destinations", api.get(call, "/api/v1/siem").path("destinations")));
    }

    private HttpReply audit(HttpCall call, Map<String, String> p, Viewer viewer) throws ApiFailure {
        return pages.render(200, "audit.jte", Map.of("page", viewer.page("Audit trail", "audit"),
                "verdict", api.get(call, "/api/v1/audit/verify"),
                "findings", api.get(call, "/api/v1/audit/findings")));
    }

    /** A read of something that may be switched off (detection): an empty object when the API has no such route. */
    private JsonNode optional(HttpCall call, String path) throws ApiFailure {
        try {
            return api.get(call, path);
        } catch (ApiFailure failure) {
            if (failure.status() == 404) {
                return ConsoleRoutes.JSON.createObjectNode();
            }
            throw failure;
        }
    }
}
