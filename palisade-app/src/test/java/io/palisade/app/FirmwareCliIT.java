package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.firmware.image.FirmwareImage;
import io.palisade.firmware.image.Tlv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `palisade firmware` as an operator uses it, with openssl checking the signature independently. */
class FirmwareCliIT {

    @TempDir
    Path dir;

    @Test
    void keygen_sign_verify_inspect_and_an_independent_openssl_check() throws Exception {
        Path key = dir.resolve("fw.pem");
        Path payload = dir.resolve("app.bin");
        Files.write(payload, FirmwareCliIT.class.getResourceAsStream("/payload.bin").readAllBytes());
        Path image = dir.resolve("app.img");

        assertThat(Cli.run("firmware", "keygen", "--type", "ecdsa-p256", "--out", key.toString()).exitCode()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        Cli.Result again = Cli.run("firmware", "keygen", "--out", key.toString());
        assertThat(again.err()).contains("refusing to overwrite");

        Cli.Result signed = Cli.run("firmware", "sign", "--key", key.toString(), "--version", "1.2.3+4",
                "--security-counter", "5", "--header-size", "0x200", "--pad-header", "--json", payload.toString(),
                image.toString());
        assertThat(signed.exitCode()).as(signed.err()).isZero();
        JsonNode signing = new ObjectMapper().readTree(signed.out());
        assertThat(signing.get("image").asText()).isEqualTo(image.toString());
        assertThat(signing.get("security_counter").asLong()).isEqualTo(5);
        assertThat(signing.get("bytes").asLong()).isEqualTo(Files.size(image));
        Cli.Result keygen = Cli.run("firmware", "keygen", "--json", "--out", dir.resolve("other.pem").toString());
        assertThat(new ObjectMapper().readTree(keygen.out()).get("public_key").asText())
                .isEqualTo(dir.resolve("other.pub.pem").toString());

        Cli.Result verified = Cli.run("firmware", "verify", "--key", dir.resolve("fw.pub.pem").toString(), "--json",
                image.toString());
        JsonNode result = new ObjectMapper().readTree(verified.out());
        assertThat(result.get("version").asText()).isEqualTo("1.2.3+4");
        assertThat(result.get("security_counter").asLong()).isEqualTo(5);

        Cli.Result rollback = Cli.run("firmware", "verify", "--key", dir.resolve("fw.pub.pem").toString(),
                "--min-counter", "6", image.toString());
        assertThat(rollback.exitCode()).isEqualTo(1);
        assertThat(rollback.err()).contains("rollback refused");

        Cli.Result inspected = Cli.run("firmware", "inspect", "--json", image.toString());
        assertThat(new ObjectMapper().readTree(inspected.out()).get("protected_tlvs").get(0).get("type").asText())
                .isEqualTo("SEC_CNT");

        // openssl, knowing nothing of Palisade, checks the ECDSA signature over header + payload + protected TLVs.
        byte[] bytes = Files.readAllBytes(image);
        FirmwareImage parsed = FirmwareImage.parse(bytes);
        Files.write(dir.resolve("covered.bin"), Arrays.copyOf(bytes, parsed.coveredLength()));
        Files.write(dir.resolve("sig.der"), parsed.unprotected(Tlv.ECDSA_SIG).orElseThrow().value());
        Processes.Result openssl = Processes.run(List.of("openssl", "dgst", "-sha256", "-verify",
                dir.resolve("fw.pub.pem").toString(), "-signature", dir.resolve("sig.der").toString(),
                dir.resolve("covered.bin").toString()));
        assertThat(openssl.output()).contains("Verified OK");

        bytes[0x200 + 100] ^= 1;
        Files.write(image, bytes);
        Cli.Result tampered = Cli.run("firmware", "verify", "--key", dir.resolve("fw.pub.pem").toString(),
                image.toString());
        assertThat(tampered.exitCode()).isEqualTo(1);
        assertThat(tampered.err()).isEqualTo("palisade: invalid image: hash mismatch: the image's SHA-256 TLV does not"
                + " match its contents (corrupted or tampered)\n");
    }

    @Test
    void admit_key_writes_a_statement_the_boot_verifier_accepts() throws Exception {
        Path old = dir.resolve("old.pem");
        Path next = dir.resolve("next.pem");
        assertThat(Cli.run("firmware", "keygen", "--out", old.toString()).exitCode()).isZero();
        assertThat(Cli.run("firmware", "keygen", "--type", "ed25519", "--out", next.toString()).exitCode()).isZero();
        Path statement = dir.resolve("rotation-1.bin");
        Cli.Result written = Cli.run("firmware", "admit-key", "--key", old.toString(), "--new-key",
                dir.resolve("next.pub.pem").toString(), "--sequence", "1", "--retire-old", statement.toString());
        assertThat(written.exitCode()).as(written.err()).isZero();

        var flash = new io.palisade.firmware.boot.MemoryFlash();
        var bootloader = new io.palisade.firmware.boot.Bootloader(flash,
                List.of(io.palisade.firmware.image.FirmwareKeys.readPublic(dir.resolve("old.pub.pem"))));
        bootloader.admitKey(Files.readAllBytes(statement));
        assertThat(bootloader.trustedKeys()).containsExactly(
                io.palisade.firmware.image.FirmwareKeys.readPublic(dir.resolve("next.pub.pem")));
    }

    @Test
    void sign_encrypt_then_verify_only_with_the_devices_key() throws Exception {
        Path signing = dir.resolve("fw.pem");
        Path device = dir.resolve("device-enc.pem");
        assertThat(Cli.run("firmware", "keygen", "--out", signing.toString()).exitCode()).isZero();
        assertThat(Cli.run("firmware", "keygen", "--out", device.toString()).exitCode()).isZero();
        Path payload = dir.resolve("app.bin");
        Files.write(payload, FirmwareCliIT.class.getResourceAsStream("/payload.bin").readAllBytes());
        Path image = dir.resolve("app.img");
        Cli.Result signed = Cli.run("firmware", "sign", "--key", signing.toString(), "--version", "3.0.0",
                "--security-counter", "3", "--encrypt", dir.resolve("device-enc.pub.pem").toString(), payload.toString(),
                image.toString());
        assertThat(signed.exitCode()).as(signed.err()).isZero();
        Cli.Result without = Cli.run("firmware", "verify", "--key", dir.resolve("fw.pub.pem").toString(), image.toString());
        assertThat(without.exitCode()).isEqualTo(1);
        assertThat(without.err()).contains("decrypt it with the device's encryption key");
        Cli.Result with = Cli.run("firmware", "verify", "--key", dir.resolve("fw.pub.pem").toString(), "--decrypt-key",
                device.toString(), image.toString());
        assertThat(with.exitCode()).as(with.err()).isZero();
        assertThat(with.out()).contains("version 3.0.0");
    }
}
