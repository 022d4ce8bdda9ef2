package io.palisade.control.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.control.service.AdminToken;
import io.palisade.control.service.Events;
import io.palisade.control.service.Refusal;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import io.palisade.core.secret.SecretBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code POST /api/v1/admin/token/rotate}: replaces the admin token (behind the current one). The answer
 * carries the new token once, for an operator on another host; on this host it is in {@code admin.token}.
 * The rotation is an {@code admin.token_rotated} event naming who asked.
 */
public final class AdminTokenRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AdminToken token;
    private final AdminAuthenticator authenticator;
    private final Events events;
    private final Path tokenFile;

    public AdminTokenRoutes(AdminToken token, AdminAuthenticator authenticator, Events events, Path tokenFile) {
        this.token = token;
        this.authenticator = authenticator;
        this.events = events;
        this.tokenFile = tokenFile;
    }

    public void register(Router router) {
        router.add("POST", AdminApiRoutes.PREFIX + "admin/token/rotate", authenticator.guard((call, p) -> {
            String actor = JsonBodies.actor(call);
            try (SecretBytes next = token.rotate()) {
                events.emit(EventType.ADMIN_TOKEN_ROTATED, Severity.MEDIUM, null, actor,
                        "admin token rotated by " + actor + "; the previous token no longer works");
                ObjectNode reply = JSON.createObjectNode();
                byte[] text = next.copy();
                try {
                    reply.put("token", new String(text, StandardCharsets.US_ASCII));
                } finally {
                    SecretBytes.wipe(text);
                }
                reply.put("file", tokenFile.toString());
                return HttpReply.json(200, reply);
            } catch (IOException e) {
                throw new Refusal(Refusal.Kind.CONFLICT, "could not write the new admin token to " + tokenFile + " ("
                        + e.getMessage() + "); the current token stays in force");
            }
        }), HttpReply::jsonError);
    }
}
