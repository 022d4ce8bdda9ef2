package io.palisade.control.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.control.service.PskService;
import io.palisade.core.secret.SecretBytes;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /api/v1/devices/{id}/psk}: issues (or replaces) the device's pre-shared key for CoAP over DTLS and
 * answers it once ({@code psk}, with {@code identity}, the PSK identity the device sends: its id). Needs administer.
 */
public final class PskRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final PskService psks;
    private final AdminAuthenticator authenticator;

    public PskRoutes(PskService psks, AdminAuthenticator authenticator) {
        this.psks = psks;
        this.authenticator = authenticator;
    }

    public void register(Router router) {
        router.add("POST", AdminApiRoutes.PREFIX + "devices/{id}/psk", authenticator.guard((call, p) -> {
            try (SecretBytes key = psks.issue(p.get("id"), JsonBodies.actor(call))) {
                byte[] text = key.copy();
                try {
                    return HttpReply.json(201, JSON.createObjectNode().put("device", p.get("id"))
                            .put("identity", p.get("id")).put("psk", new String(text, StandardCharsets.US_ASCII)));
                } finally {
                    SecretBytes.wipe(text);
                }
            }
        }), HttpReply::jsonError);
    }
}
