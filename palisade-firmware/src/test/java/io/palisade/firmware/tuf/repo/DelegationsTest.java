package io.palisade.firmware.tuf.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.firmware.tuf.DirectoryRepository;
import io.palisade.firmware.tuf.TufClient;
import io.palisade.firmware.tuf.TufException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delegated targets roles: per-vendor signing of the paths a vendor owns, and nothing else. */
class DelegationsTest {

    static final io.palisade.core.secret.SecretBytes PASSPHRASE =
            io.palisade.core.secret.SecretBytes.wrap("test key passphrase".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    @TempDir
    Path dir;

    private TufRepositoryWriter repo;
    private byte[] trustedRoot;

    @BeforeEach
    void repository() throws Exception {
        repo = TufRepositoryWriter.withKeysInside(dir.resolve("repo"), Clock.systemUTC(), PASSPHRASE);
        repo.init();
        trustedRoot = Files.readAllBytes(repo.metadataDir().resolve("1.root.json"));
        repo.delegate("vendor-a", List.of("firmware/vendor-a/*"), true);
        add("firmware/vendor-a/meter-2.0.img", "vendor a firmware");
        add("firmware/own/gateway-1.0.img", "our own firmware");
        repo.publish();
    }

    private void add(String name, String content) throws Exception {
        Path file = dir.resolve("upload");
        Files.writeString(file, content);
        repo.addTarget(file, name);
    }

    private TufClient client() throws Exception {
        TufClient client = new TufClient(new DirectoryRepository(dir.resolve("repo")), trustedRoot,
                TufClient.TrustedState.NONE, Clock.systemUTC());
        client.refresh();
        return client;
    }

    @Test
    void targets_under_a_delegated_path_are_signed_by_the_delegated_role_and_found_through_it() throws Exception {
        ObjectMapper json = new ObjectMapper();
        var top = json.readTree(repo.metadataDir().resolve("targets.json").toFile()).path("signed");
        assertThat(top.path("targets").has("firmware/own/gateway-1.0.img")).isTrue();
        assertThat(top.path("targets").has("firmware/vendor-a/meter-2.0.img")).isFalse();
        assertThat(top.path("delegations").path("roles").get(0).path("name").asText()).isEqualTo("vendor-a");

        TufClient client = client();
        assertThat(new String(client.download("firmware/vendor-a/meter-2.0.img"))).isEqualTo("vendor a firmware");
        assertThat(new String(client.download("firmware/own/gateway-1.0.img"))).isEqualTo("our own firmware");
        assertThatThrownBy(() -> client.download("firmware/vendor-a/sub/dir.img"))
                .hasMessageContaining("lists no target");
    }

    /** Lists {@code name} in vendor-a.json and re-signs it with vendor-a's own key, as a rogue vendor could. */
    private void vendorListsTarget(String name, String content) throws Exception {
        Path target = repo.targetsDir().resolve(name);
        Files.createDirectories(target.getParent());
        Files.writeString(target, content);
        Path vendorFile = repo.metadataDir().resolve("vendor-a.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode envelope = (ObjectNode) json.readTree(vendorFile.toFile());
        ObjectNode entry = ((ObjectNode) envelope.path("signed").path("targets")).putObject(name);
        entry.put("length", content.length());
        entry.putObject("hashes").put("sha256", java.util.HexFormat.of().formatHex(
                io.palisade.firmware.FirmwareCrypto.sha256(content.getBytes())));
        var key = io.palisade.firmware.image.FirmwareKeys.readEncrypted(dir.resolve("repo/keys/delegated/vendor-a.pem"), PASSPHRASE);
        var signer = java.security.Signature.getInstance("SHA256withECDSA", io.palisade.firmware.FirmwareCrypto.BC);
        signer.initSign(key.getPrivate());
        signer.update(io.palisade.firmware.tuf.CanonicalJson.encode(envelope.path("signed")));
        ((ObjectNode) envelope.path("signatures").get(0)).put("sig", java.util.HexFormat.of().formatHex(signer.sign()));
        Files.write(vendorFile, json.writeValueAsBytes(envelope));
    }

    @Test
    void a_delegated_role_cannot_vouch_for_paths_outside_its_delegation() throws Exception {
        vendorListsTarget("firmware/vendor-a/added.img", "inside");
        vendorListsTarget("firmware/own/evil.img", "outside");
        TufClient client = client();
        assertThat(new String(client.download("firmware/vendor-a/added.img"))).as("re-signed listing is valid")
                .isEqualTo("inside");
        assertThatThrownBy(() -> client.download("firmware/own/evil.img")).isInstanceOf(TufException.class)
                .hasMessageContaining("lists no target");
    }

    @Test
    void a_delegated_role_signed_by_the_wrong_key_is_refused() throws Exception {
        Path vendorFile = repo.metadataDir().resolve("vendor-a.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode envelope = (ObjectNode) json.readTree(vendorFile.toFile());
        ((ObjectNode) envelope.path("signed").path("targets").path("firmware/vendor-a/meter-2.0.img"))
                .put("length", 999);
        Files.write(vendorFile, json.writeValueAsBytes(envelope));
        TufClient client = new TufClient(new DirectoryRepository(dir.resolve("repo")), trustedRoot,
                TufClient.TrustedState.NONE, Clock.systemUTC());
        client.refresh();
        assertThatThrownBy(() -> client.download("firmware/vendor-a/meter-2.0.img"))
                .isInstanceOf(TufException.class)
                .hasMessageContaining("vendor-a");
    }

    @Test
    void delegation_names_and_patterns_are_checked() {
        assertThatThrownBy(() -> repo.delegate("../escape", List.of("x/*"), false)).hasMessageContaining("must be");
        assertThatThrownBy(() -> repo.delegate("targets", List.of("x/*"), false)).hasMessageContaining("top-level");
        assertThatThrownBy(() -> repo.delegate("vendor-a", List.of("x/*"), false)).hasMessageContaining("already");
        assertThatThrownBy(() -> repo.delegate("vendor-b", List.of(), false)).hasMessageContaining("path pattern");
    }
}
