package io.palisade.pki.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.testing.Swtpm;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys, signatures and quotes of a real TPM 2.0 (Debian's swtpm), checked by parties other than Palisade: openssl
 * verifies what the TPM signed, tpm2-tools reads the PCR, and the quote check accepts exactly the honest quote.
 */
class TpmQuoteIT {

    @TempDir
    Path dir;

    @Test
    void the_device_key_signs_in_the_tpm_and_openssl_verifies_it() throws Exception {
        try (Swtpm swtpm = Swtpm.start(dir)) {
            TpmPrivateKey key = TpmKeys.create(new Tpm2Tools(swtpm.tcti()), TpmKeys.DEFAULT_HANDLE);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update("reading 21.5".getBytes());
            Files.write(dir.resolve("data"), "reading 21.5".getBytes());
            Files.write(dir.resolve("sig"), signer.sign());
            Files.writeString(dir.resolve("pub.pem"), Pem.encode(key.publicKey()));
            Process openssl = new ProcessBuilder("openssl", "dgst", "-sha256", "-verify", dir.resolve("pub.pem").toString(),
                    "-signature", dir.resolve("sig").toString(), dir.resolve("data").toString()).redirectErrorStream(true)
                    .start();
            assertThat(new String(openssl.getInputStream().readAllBytes())).contains("Verified OK");
            assertThatThrownBy(() -> TpmKeys.create(key.tpm(), TpmKeys.DEFAULT_HANDLE)).as("an occupied handle")
                    .hasMessageContaining("tpm2_evictcontrol");
            TpmKeys.destroy(key.tpm(), key.handle());
            assertThat(swtpm.tool("tpm2_readpublic", "-c", "0x81010001").exitCode()).isNotZero();
        }
    }

    @Test
    void an_honest_quote_passes_and_every_lie_is_refused_with_its_reason() throws Exception {
        try (Swtpm swtpm = Swtpm.start(dir)) {
            Tpm2Tools tpm = new Tpm2Tools(swtpm.tcti());
            TpmAttestationKey ak = TpmAttestationKey.create(tpm, TpmAttestationKey.DEFAULT_HANDLE);
            byte[] image = MessageDigest.getInstance("SHA-256").digest("firmware 1.0.0".getBytes());
            TpmPcr.extend(tpm, 9, image);
            byte[] nonce = new byte[32];
            new SecureRandom().nextBytes(nonce);
            Map<Integer, List<byte[]>> expected = Map.of(9, List.of(TpmPcr.expected(List.of(image))));

            TpmAttestationKey.Quote quote = ak.quote(nonce, List.of(9));
            TpmQuote parsed = QuoteCheck.check(quote.quote(), quote.signature(), ak.publicKey(), nonce, quote.pcrs(),
                    expected);
            assertThat(parsed.pcrs()).containsExactly(9);
            assertThat(parsed.extraData()).isEqualTo(nonce);
            // openssl agrees the attestation key signed the quote.
            Files.write(dir.resolve("quote"), quote.quote());
            Files.write(dir.resolve("quote.sig"), quote.signature());
            Files.writeString(dir.resolve("ak.pem"), Pem.encode(ak.publicKey()));
            Process openssl = new ProcessBuilder("openssl", "dgst", "-sha256", "-verify", dir.resolve("ak.pem").toString(),
                    "-signature", dir.resolve("quote.sig").toString(), dir.resolve("quote").toString())
                    .redirectErrorStream(true).start();
            assertThat(new String(openssl.getInputStream().readAllBytes())).contains("Verified OK");

            byte[] otherNonce = nonce.clone();
            otherNonce[0] ^= 1;
            assertThatThrownBy(() -> QuoteCheck.check(quote.quote(), quote.signature(), ak.publicKey(), otherNonce,
                    quote.pcrs(), expected)).hasMessageContaining("another challenge");
            byte[] otherImage = MessageDigest.getInstance("SHA-256").digest("firmware 0.9.0".getBytes());
            assertThatThrownBy(() -> QuoteCheck.check(quote.quote(), quote.signature(), ak.publicKey(), nonce,
                    quote.pcrs(), Map.of(9, List.of(TpmPcr.expected(List.of(otherImage))))))
                    .hasMessageContaining("PCR 9 is").hasMessageContaining(", expected ");
            Map<Integer, byte[]> lied = new HashMap<>(quote.pcrs());
            lied.put(9, expected.get(9).get(0).clone());
            lied.get(9)[31] ^= 1;
            assertThatThrownBy(() -> QuoteCheck.check(quote.quote(), quote.signature(), ak.publicKey(), nonce, lied,
                    Map.of(9, List.of(lied.get(9))))).hasMessageContaining("not the ones the TPM quoted");
            // Either of two images (a roll-out under way): the one that runs passes.
            QuoteCheck.check(quote.quote(), quote.signature(), ak.publicKey(), nonce, quote.pcrs(),
                    Map.of(9, List.of(TpmPcr.expected(List.of(otherImage)), expected.get(9).get(0))));
            assertThatThrownBy(() -> QuoteCheck.check(quote.quote(), quote.signature(), KeyPairs.newP256().getPublic(),
                    nonce, quote.pcrs(), expected)).hasMessageContaining("does not verify");
            byte[] changed = quote.quote().clone();
            changed[changed.length - 1] ^= 1;
            assertThatThrownBy(() -> QuoteCheck.check(changed, quote.signature(), ak.publicKey(), nonce, quote.pcrs(),
                    expected)).hasMessageContaining("does not verify");

            // The restricted key refuses to sign a made-up digest: software cannot forge a quote through it.
            Files.write(dir.resolve("digest"), new byte[32]);
            assertThat(swtpm.tool("tpm2_sign", "-c", "0x81010002", "-g", "sha256", "-d", "-o",
                    dir.resolve("forged").toString(), dir.resolve("digest").toString()).exitCode()).isNotZero();
        }
    }
}
