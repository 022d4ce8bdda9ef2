package io.palisade.pki.tamper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.core.device.DeviceId;
import io.palisade.core.tamper.TamperReport;
import io.palisade.core.tamper.TamperSensor;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.TestCa;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SignedTamperReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestCa ca = new TestCa();
    private final KeyPair device = KeyPairs.newP256();
    private final X509Certificate certificate = ca.ca.issueDevice(DeviceId.of("rtu-7"), device.getPublic());
    private final TamperReport report = new TamperReport(DeviceId.of("rtu-7"), 3, Instant.parse("2026-06-01T12:00:00Z"),
            TamperSensor.GPIO, "gpiochip0:17", "line 17 went high");

    @Test
    void a_sealed_report_opens_to_the_same_report_and_its_certificate() throws Exception {
        SignedTamperReport.Opened opened = SignedTamperReport.open(SignedTamperReport.seal(report, device.getPrivate(),
                certificate));
        assertThat(opened.report()).isEqualTo(report);
        assertThat(opened.certificate()).isEqualTo(certificate);
    }

    @Test
    void a_changed_report_another_signer_or_a_malformed_envelope_is_refused_with_the_reason() throws Exception {
        ObjectNode envelope = (ObjectNode) JSON.readTree(SignedTamperReport.seal(report, device.getPrivate(), certificate));
        ObjectNode changed = envelope.deepCopy().put("report", Base64.getEncoder().encodeToString(
                new String(report.toJson(), StandardCharsets.UTF_8).replace("\"counter\":3", "\"counter\":4")
                        .getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> SignedTamperReport.open(bytes(changed))).hasMessageContaining("does not verify");

        KeyPair other = KeyPairs.newP256();
        X509Certificate otherCertificate = ca.ca.issueDevice(DeviceId.of("rtu-7"), other.getPublic());
        ObjectNode swapped = envelope.deepCopy().put("certificate",
                Base64.getEncoder().encodeToString(otherCertificate.getEncoded()));
        assertThatThrownBy(() -> SignedTamperReport.open(bytes(swapped))).hasMessageContaining("does not verify");

        assertThatThrownBy(() -> SignedTamperReport.open(bytes(envelope.deepCopy().put("certificate", "AAAA"))))
                .hasMessageContaining("certificate cannot be decoded");
        assertThatThrownBy(() -> SignedTamperReport.open(bytes(envelope.deepCopy().put("signature", "%%%"))))
                .hasMessageContaining("malformed");
        assertThatThrownBy(() -> SignedTamperReport.open("[]".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> SignedTamperReport.open(new byte[SignedTamperReport.MAX_BYTES + 1]))
                .hasMessageContaining("at most");

        // A well-signed envelope around something that is not a report: refused for what the report lacks.
        byte[] notAReport = "{\"device\":\"rtu-7\"}".getBytes(StandardCharsets.UTF_8);
        java.security.Signature signer = io.palisade.pki.EcdsaSignatures.signer(device.getPrivate());
        signer.update(notAReport);
        ObjectNode signedNonsense = envelope.deepCopy().put("report", Base64.getEncoder().encodeToString(notAReport))
                .put("signature", Base64.getEncoder().encodeToString(signer.sign()));
        assertThatThrownBy(() -> SignedTamperReport.open(bytes(signedNonsense))).hasMessageContaining("counter");
    }

    private static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
