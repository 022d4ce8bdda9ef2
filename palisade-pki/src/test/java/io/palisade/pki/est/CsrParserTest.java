package io.palisade.pki.est;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.device.DeviceId;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

class CsrParserTest {

    private final KeyPair keys = KeyPairs.newP256();
    private final byte[] der = Csrs.forDevice(DeviceId.of("sensor-1"), keys);

    @Test
    void accepts_base64_as_rfc7030_specifies_and_pem_and_der() throws Exception {
        for (byte[] body : new byte[][]{
                Base64.getMimeEncoder().encode(der),
                Base64.getEncoder().encode(der),
                Pem.encode(new PKCS10CertificationRequest(der)).getBytes(StandardCharsets.US_ASCII),
                der}) {
            CertificateRequest request = CsrParser.parse(body);
            assertThat(request.commonName()).contains("sensor-1");
            assertThat(request.publicKey()).isEqualTo(keys.getPublic());
        }
    }

    @Test
    void refuses_empty_and_oversized_bodies() {
        assertThatThrownBy(() -> CsrParser.parse(new byte[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> CsrParser.parse(new byte[CsrParser.MAX_BODY_BYTES + 1]))
                .hasMessageContaining("limit is " + CsrParser.MAX_BODY_BYTES);
    }

    @Test
    void refuses_garbage_and_truncated_requests() {
        assertThatThrownBy(() -> CsrParser.parse("not base64 at all!!".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(CsrRejectedException.class).hasMessageContaining("base64");
        assertThatThrownBy(() -> CsrParser.parse(Base64.getEncoder().encode(Arrays.copyOf(der, der.length / 2))))
                .isInstanceOf(CsrRejectedException.class).hasMessageContaining("well-formed PKCS#10");
        assertThatThrownBy(() -> CsrParser.parse(Base64.getEncoder().encode("hello".getBytes())))
                .isInstanceOf(CsrRejectedException.class);
        assertThatThrownBy(() -> CsrParser.parse("-----BEGIN CERTIFICATE REQUEST-----\nAAAA".getBytes()))
                .isInstanceOf(CsrRejectedException.class).hasMessageContaining("BEGIN/END");
    }

    @Test
    void refuses_a_request_whose_signature_does_not_match_its_key() {
        byte[] tampered = der.clone();
        tampered[tampered.length - 5] ^= 0x01;
        assertThatThrownBy(() -> CsrParser.parse(tampered)).isInstanceOf(CsrRejectedException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void refuses_rsa_and_other_curves() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        assertThatThrownBy(() -> CsrParser.parse(rsaCsr(rsa.generateKeyPair())))
                .hasMessageContaining("ECDSA P-256 keys only");
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        assertThatThrownBy(() -> CsrParser.parse(Csrs.forDevice(DeviceId.of("x"), ec.generateKeyPair())))
                .hasMessageContaining("ECDSA P-256 keys only");
    }

    private static byte[] rsaCsr(KeyPair keys) throws Exception {
        var builder = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                new org.bouncycastle.asn1.x500.X500Name("CN=x"), keys.getPublic());
        return builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA")
                .build(keys.getPrivate())).getEncoded();
    }
}
