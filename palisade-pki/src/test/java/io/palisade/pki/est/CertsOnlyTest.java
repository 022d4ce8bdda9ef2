package io.palisade.pki.est;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.pki.TestCa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertsOnlyTest {

    @TempDir
    Path dir;

    @Test
    void encodes_base64_pkcs7_that_openssl_prints_and_decodes_back() throws Exception {
        TestCa test = new TestCa();
        String body = CertsOnly.encode(test.ca.chain());
        assertThat(body.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));
        assertThat(CertsOnly.decode(body.getBytes(StandardCharsets.US_ASCII)))
                .as("DER sorts SET OF, so order is not kept").containsExactlyInAnyOrderElementsOf(test.ca.chain());

        Path file = dir.resolve("p7.b64");
        Files.writeString(file, body);
        Process p = new ProcessBuilder("sh", "-c", "openssl base64 -d -in " + file
                + " | openssl pkcs7 -inform DER -print_certs -noout").redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(printed).isZero();
        assertThat(printed).contains("Palisade Issuing CA test").contains("Palisade Root CA test");
    }

    @Test
    void garbage_and_oversized_responses_are_refused() {
        assertThatThrownBy(() -> CertsOnly.decode("%%%".getBytes())).hasMessageContaining("certs-only");
        assertThatThrownBy(() -> CertsOnly.decode(new byte[CertsOnly.MAX_RESPONSE_BYTES + 1]))
                .hasMessageContaining("exceeds the limit");
    }
}
