package io.palisade.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.pki.Pem;
import io.palisade.pki.tpm.TpmAttestationKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Answers the control plane's attestation challenges: a quote by the TPM's attestation key over the challenge's
 * nonce and PCRs, sent with the PCR values and the attestation key's public half (pinned by the control plane at
 * the first quote). A challenge it cannot read is logged and left unanswered: the control plane then fails the
 * attestation at its deadline, which is the right outcome for a device that cannot prove its state.
 */
final class Attestor {

    private static final System.Logger LOG = System.getLogger(Attestor.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TpmAttestationKey key;

    Attestor(TpmAttestationKey key) {
        this.key = key;
    }

    void answer(byte[] challenge, FleetClient fleet) {
        try {
            JsonNode body = JSON.readTree(challenge);
            byte[] nonce = HexFormat.of().parseHex(body.path("nonce").asText());
            List<Integer> pcrs = new ArrayList<>();
            body.path("pcrs").forEach(pcr -> pcrs.add(pcr.asInt(-1)));
            TpmAttestationKey.Quote quote = key.quote(nonce, pcrs);
            ObjectNode answer = JSON.createObjectNode().put("ak", Pem.encode(key.publicKey()))
                    .put("quote", Base64.getEncoder().encodeToString(quote.quote()))
                    .put("signature", Base64.getEncoder().encodeToString(quote.signature()));
            ObjectNode values = answer.putObject("pcrs");
            quote.pcrs().forEach((pcr, value) -> values.put(Integer.toString(pcr), HexFormat.of().formatHex(value)));
            fleet.quote(answer.toString());
            LOG.log(System.Logger.Level.INFO, "answered an attestation challenge (PCRs " + pcrs + ")");
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "could not answer an attestation challenge: " + e.getMessage());
        }
    }

    void destroy() throws IOException {
        key.destroy();
    }
}
