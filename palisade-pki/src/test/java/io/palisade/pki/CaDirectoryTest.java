package io.palisade.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.time.ManualClock;
import io.palisade.pki.ca.CaDirectory;
import io.palisade.pki.ca.CertificateAuthority;
import io.palisade.pki.ca.DeviceCertificateProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaDirectoryTest {

    @TempDir
    Path data;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-06-01T00:00:00Z"));

    @Test
    void first_open_creates_an_encrypted_p256_ca_and_later_opens_reuse_it() throws Exception {
        CaDirectory dir = new CaDirectory(data);
        CertificateAuthority first = dir.openOrCreate(Optional.empty(), DeviceCertificateProfile.defaults(), clock);
        CertificateAuthority second = dir.openOrCreate(Optional.empty(), DeviceCertificateProfile.defaults(), clock);

        assertThat(second.root()).isEqualTo(first.root());
        assertThat(second.issuing()).isEqualTo(first.issuing());
        assertThat(KeyPairs.isP256(first.root().getPublicKey())).isTrue();
        for (String secret : new String[]{"root.key", "issuing.key", "passphrase"}) {
            Path file = data.resolve("ca").resolve(secret);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(secret)
                    .isEqualTo("rw-------");
        }
        assertThat(Files.readString(data.resolve("ca/issuing.key"))).contains("ENCRYPTED PRIVATE KEY");
    }

    @Test
    void passphrase_can_come_from_the_environment_and_a_wrong_one_is_named() throws Exception {
        CaDirectory dir = new CaDirectory(data);
        dir.openOrCreate(Optional.of("from-env"), DeviceCertificateProfile.defaults(), clock);
        assertThat(data.resolve("ca/passphrase")).doesNotExist();
        assertThatThrownBy(() -> dir.openOrCreate(Optional.empty(), DeviceCertificateProfile.defaults(), clock))
                .hasMessageContaining(CaDirectory.PASSPHRASE_ENV);
        assertThatThrownBy(() -> dir.openOrCreate(Optional.of("wrong"), DeviceCertificateProfile.defaults(), clock))
                .hasMessageContaining("wrong CA passphrase");
    }
}
