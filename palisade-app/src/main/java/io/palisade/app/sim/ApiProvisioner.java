package io.palisade.app.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.palisade.app.cli.CliFailure;
import io.palisade.app.client.ApiClient;
import io.palisade.core.device.DeviceId;
import io.palisade.core.secret.SecretBytes;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.est.DeviceCredentials;
import io.palisade.pki.est.EstClient;
import io.palisade.sim.SimulatedFleet;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Provisions a simulated device as an operator and a device would: registers it through the admin
 * API (or, when it exists from an earlier run, asks for a new enrollment token), then enrolls a
 * fresh P-256 key over EST with that token.
 */
public final class ApiProvisioner implements SimulatedFleet.Provisioner {

    private final ApiClient api;
    private final EstClient est;
    private final List<X509Certificate> ca;
    private final String profile;
    private final String segment;

    public ApiProvisioner(ApiClient api, EstClient est, List<X509Certificate> ca, String profile, String segment) {
        this.api = api;
        this.est = est;
        this.ca = List.copyOf(ca);
        this.profile = profile;
        this.segment = segment;
    }

    @Override
    public DeviceCredentials provision(DeviceId id) throws Exception {
        JsonNode registration;
        try {
            registration = api.post("devices", ApiClient.object().put("id", id.value()).put("profile", profile)
                    .put("segment", segment));
        } catch (CliFailure e) {
            if (!e.getMessage().contains("already")) {
                throw e;
            }
            registration = api.post("devices/" + id.value() + "/token", ApiClient.object());
        }
        KeyPair keys = KeyPairs.newP256();
        try (SecretBytes token = SecretBytes.wrap(registration.path("enrollment_token").asText()
                .getBytes(StandardCharsets.US_ASCII))) {
            return new DeviceCredentials(keys.getPrivate(), est.enroll(id, token, keys), ca);
        }
    }
}
