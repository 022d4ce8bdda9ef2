package io.palisade.control.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.control.service.AttestationService;
import io.palisade.control.service.Refusal;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.pki.DeviceAuthenticator;
import java.util.List;
import java.util.Optional;

/**
 * Attestation at enrollment, for the device itself, authenticated by its new certificate (mutual TLS, like EST
 * re-enrollment): {@code POST /attest/challenge} answers a nonce and the PCRs to quote, {@code POST /attest/quote}
 * takes the quote ({@code ak}, {@code quote}, {@code signature}, {@code pcrs}) and answers passed, or 403 with the
 * reason (the device is then quarantined). {@code palisade device enroll --tpm} does both right after EST.
 */
public final class DeviceAttestationRoutes {

    public static final String CHALLENGE = "/attest/challenge";
    public static final String QUOTE = "/attest/quote";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AttestationService attestation;
    private final DeviceAuthenticator devices;
    private final JsonBodies bodies;

    public DeviceAttestationRoutes(AttestationService attestation, DeviceRegistry registry, JsonBodies bodies) {
        this.attestation = attestation;
        this.devices = new DeviceAuthenticator(registry);
        this.bodies = bodies;
    }

    public void register(Router router) {
        router.add("POST", CHALLENGE, (call, p) -> HttpReply.json(200,
                JSON.valueToTree(attestation.challengeAtEnrollment(device(call)))), HttpReply::jsonError);
        router.add("POST", QUOTE, (call, p) -> {
            DeviceId device = device(call);
            Optional<String> failure = attestation.answer(device,
                    bodies.object(call).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (failure.isPresent()) {
                throw new Refusal(Refusal.Kind.FORBIDDEN, "attestation failed: " + failure.get()
                        + "; the device is quarantined");
            }
            return HttpReply.json(200, JSON.createObjectNode().put("device", device.value()).put("result", "passed"));
        }, HttpReply::jsonError);
    }

    private DeviceId device(HttpCall call) throws Refusal {
        DeviceAuthenticator.Result proven = devices.authenticate(List.copyOf(call.clientCertificates()));
        if (proven.device().isEmpty()) {
            throw new Refusal(Refusal.Kind.UNAUTHENTICATED, "attestation needs the device's certificate: "
                    + proven.reason());
        }
        return proven.device().get().id();
    }
}
