package io.palisade.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.event.EventType;
import io.palisade.core.rollout.MemberState;
import io.palisade.firmware.boot.Bootloader;
import io.palisade.firmware.boot.MemoryFlash;
import io.palisade.firmware.boot.Slot;
import io.palisade.firmware.image.FirmwareKeys;
import io.palisade.firmware.image.ImageSigner;
import io.palisade.firmware.image.ImageVersion;
import io.palisade.firmware.tuf.DirectoryRepository;
import io.palisade.firmware.tuf.TufClient;
import io.palisade.firmware.tuf.repo.TufRepositoryWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A device updating from a Palisade-written TUF repository into its A/B slots. */
class UpdateAgentTest {

    static final io.palisade.core.secret.SecretBytes PASSPHRASE =
            io.palisade.core.secret.SecretBytes.wrap("test key passphrase".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    @TempDir
    Path dir;

    private final KeyPair firmwareKey = key();
    private final List<String> reports = new ArrayList<>();
    private final List<MemberState> progress = new ArrayList<>();
    private TufRepositoryWriter repo;
    private MemoryFlash flash;
    private Bootloader bootloader;
    private UpdateAgent agent;

    private static KeyPair key() {
        try {
            return FirmwareKeys.generate(FirmwareKeys.Type.ECDSA_P256);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] image(String version, long counter) throws Exception {
        return ImageSigner.sign(("firmware " + version).repeat(100).getBytes(),
                ImageSigner.softwareKey(firmwareKey.getPrivate(), firmwareKey.getPublic()), ImageVersion.parse(version),
                OptionalLong.of(counter), 0x200, 0);
    }

    private void publish(String name, byte[] image) throws Exception {
        Path file = dir.resolve("upload.img");
        Files.write(file, image);
        repo.addTarget(file, name);
        repo.publish();
    }

    @BeforeEach
    void device() throws Exception {
        repo = TufRepositoryWriter.withKeysInside(dir.resolve("repo"), Clock.systemUTC(), PASSPHRASE);
        repo.init();
        flash = new MemoryFlash();
        flash.writeSlot(Slot.A, image("1.0.0", 1));
        bootloader = new Bootloader(flash, List.of(firmwareKey.getPublic()));
        bootloader.boot();
        TufClient tuf = new TufClient(new DirectoryRepository(dir.resolve("repo")),
                Files.readAllBytes(repo.metadataDir().resolve("1.root.json")), TufClient.TrustedState.NONE,
                Clock.systemUTC());
        agent = new UpdateAgent(tuf, bootloader, (state, target, message) -> {
            if (state.isFinal()) {
                reports.add((state == MemberState.INSTALLED ? "firmware.installed" : "firmware.rejected") + " " + message);
            } else {
                progress.add(state);
            }
        });
    }

    @Test
    void a_good_update_is_staged_trial_booted_confirmed_and_reported() throws Exception {
        publish("firmware/app-2.0.0.img", image("2.0.0", 2));
        assertThat(agent.stage("firmware/app-2.0.0.img")).isNotNull();
        assertThat(agent.confirmAfterReboot("firmware/app-2.0.0.img", () -> true)).isTrue();
        assertThat(bootloader.boot().slot()).isEqualTo(Slot.B);
        assertThat(flash.securityCounter()).isEqualTo(2);
        assertThat(reports).singleElement().asString().startsWith(EventType.FIRMWARE_INSTALLED.wireName())
                .contains("2.0.0");
        assertThat(progress).containsExactly(MemberState.DOWNLOADING, MemberState.STAGED);
    }

    @Test
    void a_failed_self_check_reverts_on_the_next_boot_and_is_reported() throws Exception {
        publish("firmware/app-2.0.0.img", image("2.0.0", 2));
        agent.stage("firmware/app-2.0.0.img");
        assertThat(agent.confirmAfterReboot("firmware/app-2.0.0.img", () -> false)).isFalse();
        assertThat(bootloader.boot().slot()).isEqualTo(Slot.A);
        assertThat(reports).singleElement().asString().startsWith("firmware.rejected").contains("self-check");
    }

    @Test
    void unsigned_tampered_and_rollback_images_are_rejected_and_the_device_keeps_running() throws Exception {
        publish("firmware/tampered.img", image("2.0.0", 2));
        // Same length, one byte changed: a re-signed image could differ in length (ECDSA signatures vary),
        // which the client refuses earlier, as too long, and this test is about the hash check.
        Path published = repo.targetsDir().resolve("firmware/tampered.img");
        byte[] tampered = Files.readAllBytes(published);
        tampered[0x200 + 7] ^= 1;
        Files.write(published, tampered);
        assertThat(agent.stage("firmware/tampered.img")).isNull();

        KeyPair stranger = key();
        publish("firmware/foreign.img", ImageSigner.sign("evil".repeat(100).getBytes(),
                ImageSigner.softwareKey(stranger.getPrivate(), stranger.getPublic()), ImageVersion.parse("9.0.0"),
                OptionalLong.of(9), 0x200, 0));
        assertThat(agent.stage("firmware/foreign.img")).isNull();

        publish("firmware/old.img", image("0.9.0", 0));
        assertThat(agent.stage("firmware/old.img")).isNull();

        assertThat(reports).hasSize(3).allSatisfy(r -> assertThat(r).startsWith("firmware.rejected"));
        assertThat(reports.get(0)).contains("does not match the length and sha256");
        assertThat(reports.get(1)).contains("unknown key");
        assertThat(reports.get(2)).contains("rollback refused");
        assertThat(bootloader.boot().slot()).isEqualTo(Slot.A);
    }

    @Test
    void a_key_rotation_statement_delivered_through_the_repository_lets_the_device_trust_a_new_key() throws Exception {
        KeyPair newKey = FirmwareKeys.generate(FirmwareKeys.Type.ED25519);
        publish("keys/rotation-1.bin", io.palisade.firmware.boot.KeyRotation.create(
                ImageSigner.softwareKey(firmwareKey.getPrivate(), firmwareKey.getPublic()), newKey.getPublic(), 1, true));
        assertThat(agent.admitKey("keys/rotation-1.bin")).isEqualTo(newKey.getPublic());

        publish("firmware/app-3.0.0.img", ImageSigner.sign("three".repeat(100).getBytes(),
                ImageSigner.softwareKey(newKey.getPrivate(), newKey.getPublic()), ImageVersion.parse("3.0.0"),
                OptionalLong.of(3), 0x200, 0));
        assertThat(agent.stage("firmware/app-3.0.0.img")).isNotNull();
        assertThat(agent.confirmAfterReboot("firmware/app-3.0.0.img", () -> true)).isTrue();
    }
}
