package io.palisade.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.secret.SecretBytes;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.Pem;
import io.palisade.pki.TlsContexts;
import io.palisade.pki.est.EstClient;
import io.palisade.pki.est.EstException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * EST and the REST API over real HTTPS on loopback, with Palisade's own client and with openssl and
 * curl as an independent client that shares no code with Palisade.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsEnrollmentIT {

    @TempDir
    static Path dir;

    private ControlPlane plane;
    private URI server;
    private Path rootCa;
    private String adminToken;

    @BeforeAll
    void start() throws Exception {
        ControlPlaneConfig config = ControlPlaneConfig.defaults(dir.resolve("data")).withPort(0)
                .withBindAddress("127.0.0.1").withFailureLimits(1000, 1000);
        plane = ControlPlane.start(config, Clock.systemUTC());
        server = URI.create("https://localhost:" + plane.httpsPort());
        DataDirectory data = new DataDirectory(dir.resolve("data"));
        rootCa = data.rootCaFile();
        adminToken = Files.readString(data.adminTokenFile()).strip();
    }

    @AfterAll
    void stop() {
        plane.close();
    }

    private String register(String id) throws Exception {
        var registration = plane.devices().add(id, "default", "plant-a", Duration.ofHours(1));
        return new String(registration.token().copy(), StandardCharsets.US_ASCII);
    }

    private EstClient est(Optional<TlsContexts.ClientIdentity> identity) throws Exception {
        return new EstClient(server, TlsContexts.client(Pem.readCertificates(rootCa), identity));
    }

    @Test
    void palisade_client_enrolls_and_reenrolls_over_https() throws Exception {
        String token = register("java-1");
        KeyPair keys = KeyPairs.newP256();
        EstClient anonymous = est(Optional.empty());
        assertThat(anonymous.caCertificates()).containsExactlyInAnyOrderElementsOf(plane.ca().chain());
        X509Certificate cert;
        try (SecretBytes secret = SecretBytes.wrap(token.getBytes(StandardCharsets.US_ASCII))) {
            cert = anonymous.enroll(DeviceId.of("java-1"), secret, keys);
        }
        assertThat(cert.getPublicKey()).isEqualTo(keys.getPublic());

        KeyPair next = KeyPairs.newP256();
        X509Certificate renewed = est(Optional.of(new TlsContexts.ClientIdentity(keys.getPrivate(), List.of(cert))))
                .reenroll(DeviceId.of("java-1"), next);
        assertThat(renewed.getPublicKey()).isEqualTo(next.getPublic());
        assertThat(renewed.getSerialNumber()).isNotEqualTo(cert.getSerialNumber());

        assertThatThrownBy(() -> anonymous.reenroll(DeviceId.of("java-1"), KeyPairs.newP256()))
                .isInstanceOfSatisfying(EstException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void openssl_and_curl_enroll_reenroll_and_see_revocation_in_the_crl() throws Exception {
        String token = register("curl-1");
        String base = server + "/.well-known/est/";
        String curl = "curl -sS --fail-with-body --cacert " + rootCa + " ";
        var enrolled = Processes.shell(dir, "openssl ecparam -name prime256v1 -genkey -noout -out curl.key"
                + " && openssl req -new -key curl.key -subj /CN=curl-1 -outform DER | openssl base64 > csr.b64"
                + " && " + curl + "-u curl-1:" + token + " -H 'Content-Type: application/pkcs10'"
                + " --data-binary @csr.b64 " + base + "simpleenroll -o cert.p7"
                + " && openssl base64 -d -in cert.p7 | openssl pkcs7 -inform DER -print_certs -out curl.crt"
                + " && " + curl + base + "cacerts | openssl base64 -d | openssl pkcs7 -inform DER -print_certs"
                + " -out chain.pem"
                + " && openssl x509 -in curl.crt -noout -subject -ext subjectAltName"
                + " && openssl verify -CAfile " + rootCa + " -untrusted chain.pem curl.crt");
        assertThat(enrolled.exitCode()).as(enrolled.output()).isZero();
        assertThat(enrolled.output()).contains("curl.crt: OK");
        assertThat(enrolled.output()).contains("CN = curl-1").contains("URI:urn:palisade:device:curl-1");

        var reenrolled = Processes.shell(dir, "openssl req -new -key curl.key -subj /CN=curl-1 -outform DER"
                + " | openssl base64 > csr2.b64 && " + curl + "--cert curl.crt --key curl.key --data-binary @csr2.b64 "
                + base + "simplereenroll -H 'Content-Type: application/pkcs10' | openssl base64 -d | openssl pkcs7 -inform DER -print_certs"
                + " | openssl x509 -noout -subject");
        assertThat(reenrolled.exitCode()).as(reenrolled.output()).isZero();
        assertThat(reenrolled.output()).contains("CN = curl-1");

        var reused = Processes.shell(dir, "curl -sS -o /dev/null -w '%{http_code}' --cacert " + rootCa
                + " -u curl-1:" + token + " -H 'Content-Type: application/pkcs10' --data-binary @csr.b64 " + base
                + "simpleenroll");
        assertThat(reused.output()).isEqualTo("401");

        String serial = Processes.shell(dir, "openssl x509 -in curl.crt -noout -serial | cut -d= -f2").output().strip();
        plane.devices().revoke("curl-1", "test", Optional.of("stolen"),
                io.palisade.core.device.RevocationReason.KEY_COMPROMISE);
        var crl = Processes.shell(dir, curl + server + "/pki/crl -o crl.der && openssl crl -inform DER -in crl.der"
                + " -noout -text");
        assertThat(crl.exitCode()).as(crl.output()).isZero();
        assertThat(crl.output()).contains("Serial Number: " + serial);
        // The reason relying parties act on (RFC 5280 reasonCode), as openssl reads it.
        assertThat(crl.output()).contains("X509v3 CRL Reason Code:").contains("Key Compromise");
        var afterRevoke = Processes.shell(dir, "curl -sS -w ' %{http_code}' --cacert " + rootCa
                + " --cert curl.crt --key curl.key --data-binary @csr2.b64 -H 'Content-Type: application/pkcs10' " + base + "simplereenroll");
        assertThat(afterRevoke.output()).contains("is revoked").endsWith("401");
    }

    @Test
    void a_devices_role_travels_in_its_certificates_as_modbus_security_defines_it() throws Exception {
        var registration = plane.devices().add("plc-client-1", "default", "plant-a", java.util.Set.of(),
                Optional.of("engineer"), Duration.ofHours(1));
        String token = new String(registration.token().copy(), StandardCharsets.US_ASCII);
        String base = server + "/.well-known/est/";
        String curl = "curl -sS --fail-with-body --cacert " + rootCa + " ";
        var enrolled = Processes.shell(dir, "openssl ecparam -name prime256v1 -genkey -noout -out role.key"
                + " && openssl req -new -key role.key -subj /CN=plc-client-1 -outform DER | openssl base64 > role.b64"
                + " && " + curl + "-u plc-client-1:" + token + " -H 'Content-Type: application/pkcs10'"
                + " --data-binary @role.b64 " + base + "simpleenroll | openssl base64 -d"
                + " | openssl pkcs7 -inform DER -print_certs -out role.crt"
                + " && openssl asn1parse -in role.crt");
        assertThat(enrolled.exitCode()).as(enrolled.output()).isZero();
        // openssl knows the OID by number only; the value is a UTF8String inside the extension's OCTET STRING.
        assertThat(enrolled.output()).contains(":1.3.6.1.4.1.50316.802.1");
        int oid = enrolled.output().indexOf(":1.3.6.1.4.1.50316.802.1");
        String octets = enrolled.output().substring(oid, enrolled.output().indexOf('\n', enrolled.output().indexOf(
                "OCTET STRING", oid)));
        assertThat(octets).contains("[HEX DUMP]:0C08" + java.util.HexFormat.of().withUpperCase()
                .formatHex("engineer".getBytes(StandardCharsets.UTF_8)));
        X509Certificate plain = plane.ca().issueDevice(DeviceId.of("no-role-1"), KeyPairs.newP256().getPublic());
        assertThat(plain.getExtensionValue(io.palisade.core.device.Device.ROLE_OID))
                .as("a device without a role gets no such extension").isNull();
    }

    @Test
    void tls_offers_only_tls12_and_13_with_aead_and_checks_the_host_name() throws Exception {
        String connect = "openssl s_client -connect 127.0.0.1:" + plane.httpsPort() + " -CAfile " + rootCa
                + " -verify_return_error -verify_hostname localhost ";
        var tls13 = Processes.shell(dir, "echo | " + connect + "-tls1_3 2>&1");
        assertThat(tls13.output()).containsPattern("TLSv1.3, Cipher is TLS_(AES_(128|256)_GCM|CHACHA20_POLY1305)")
                .contains("Verify return code: 0 (ok)");
        var tls12 = Processes.shell(dir, "echo | " + connect + "-tls1_2 2>&1");
        assertThat(tls12.output()).containsPattern("TLSv1.2, Cipher is ECDHE-ECDSA-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)");
        var tls11 = Processes.shell(dir, "echo | " + connect + "-tls1_1 -cipher DEFAULT@SECLEVEL=0 2>&1");
        assertThat(tls11.exitCode()).isNotZero();
        var cbc = Processes.shell(dir, "echo | " + connect + "-tls1_2 -cipher ECDHE-ECDSA-AES128-SHA 2>&1");
        assertThat(cbc.exitCode()).as("CBC suites are not offered").isNotZero();
        var wrongName = Processes.shell(dir, "echo | openssl s_client -connect 127.0.0.1:" + plane.httpsPort()
                + " -CAfile " + rootCa + " -verify_return_error -verify_hostname evil.example 2>&1");
        assertThat(wrongName.exitCode()).isNotZero();
    }

    @Test
    void api_requires_the_admin_token_and_answers_garbage_with_clear_errors() throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .sslContext(TlsContexts.client(Pem.readCertificates(rootCa), Optional.empty())).build();
        long before = lastEventId();
        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(server.resolve("/api/v1/devices")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.body()).contains("Bearer");

        HttpResponse<String> garbage = http.send(HttpRequest.newBuilder(server.resolve("/api/v1/devices"))
                .header("Authorization", "Bearer " + adminToken)
                .POST(HttpRequest.BodyPublishers.ofString("{not json")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("not valid JSON");

        HttpResponse<String> huge = http.send(HttpRequest.newBuilder(server.resolve("/.well-known/est/simpleenroll"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[200_000])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(huge.statusCode()).isEqualTo(413);

        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(server.resolve("/nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);

        List<SecurityEvent> events = plane.events().query(new EventQuery(before, 100, Optional.empty(), Optional.empty()));
        assertThat(events).extracting(SecurityEvent::type)
                .contains(EventType.AUTH_FAILED, EventType.PROTOCOL_VIOLATION);

        HttpResponse<String> created = http.send(HttpRequest.newBuilder(server.resolve("/api/v1/devices"))
                .header("Authorization", "Bearer " + adminToken)
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"api-1\",\"segment\":\"plant-b\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as("server stays up after bad input").isEqualTo(201);
        assertThat(created.body()).contains("\"enrollment_token\":\"pet_").contains("\"segment\":\"plant-b\"");
    }

    @Test
    void roll_out_and_command_requests_with_bad_input_are_refused_with_the_reason_and_recorded() throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .sslContext(TlsContexts.client(Pem.readCertificates(rootCa), Optional.empty())).build();
        long before = lastEventId();
        java.util.function.BiFunction<String, String, HttpResponse<String>> post = (path, body) -> {
            try {
                return http.send(HttpRequest.newBuilder(server.resolve("/api/v1/" + path))
                        .header("Authorization", "Bearer " + adminToken)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertThat(post.apply("rollouts", "{not json").body()).contains("not valid JSON");
        assertThat(post.apply("rollouts", "[]").body()).contains("must be a JSON object");
        var badWaves = post.apply("rollouts", "{\"target\": \"firmware/x.img\", \"waves\": [\"50%\", \"10%\"]}");
        assertThat(badWaves.statusCode()).isEqualTo(400);
        assertThat(badWaves.body()).contains("must grow");
        assertThat(post.apply("rollouts", "{\"target\": \"../../etc/passwd\"}").body())
                .contains("not a relative path");
        // Without the gateway (this test runs the control plane alone) a valid request is refused for what it is.
        assertThat(post.apply("rollouts", "{\"target\": \"firmware/x.img\"}").body())
                .contains("runs without the MQTT gateway");
        assertThat(post.apply("devices/nobody/reflash", "{}").body()).contains("needs 'target'");
        assertThat(post.apply("rollouts/ro-none/approve", "").statusCode()).isEqualTo(404);

        List<SecurityEvent> events = plane.events().query(new EventQuery(before, 100, Optional.empty(), Optional.empty()));
        // An operator's bad request is recorded as an admin event, never as protocol abuse (which feeds detection).
        assertThat(events).filteredOn(e -> e.type() == EventType.ADMIN_REQUEST_REFUSED).hasSizeGreaterThanOrEqualTo(5);
        assertThat(events).filteredOn(e -> e.type() == EventType.PROTOCOL_VIOLATION).isEmpty();
    }

    @Test
    void plain_http_and_tls_garbage_do_not_hurt_the_server() throws Exception {
        var plain = Processes.shell(dir, "curl -sS -m 5 http://127.0.0.1:" + plane.httpsPort() + "/ 2>&1; true");
        assertThat(plain.exitCode()).isZero();
        var junk = Processes.shell(dir, "head -c 5000 /dev/urandom | timeout 5 openssl s_client -connect 127.0.0.1:"
                + plane.httpsPort() + " -quiet 2>&1; true");
        assertThat(junk.exitCode()).isZero();
        assertThat(est(Optional.empty()).caCertificates()).hasSize(2);
    }

    private long lastEventId() {
        List<SecurityEvent> all = plane.events().query(EventQuery.all());
        return all.isEmpty() ? 0 : all.get(all.size() - 1).id();
    }
}
