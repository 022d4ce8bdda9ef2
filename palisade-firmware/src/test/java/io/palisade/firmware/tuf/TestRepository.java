package io.palisade.firmware.tuf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** Writes small TUF repositories signed with test keys, so that each attack can be staged exactly. */
final class TestRepository {

    static final Instant FUTURE = Instant.parse("2036-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;

    TestRepository(Path dir) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir.resolve("metadata"));
        Files.createDirectories(dir.resolve("targets/firmware"));
    }

    static KeyPair newKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    static ObjectNode keyObject(KeyPair key) throws Exception {
        return TufKeys.ecdsaKeyObject(key.getPublic());
    }

    static String keyId(KeyPair key) throws Exception {
        return TufKeys.keyId(keyObject(key));
    }

    /** Root metadata giving each role its keys and threshold. */
    ObjectNode root(long version, List<KeyPair> rootKeys, int rootThreshold, List<KeyPair> timestampKeys,
                    List<KeyPair> snapshotKeys, List<KeyPair> targetsKeys, int targetsThreshold) throws Exception {
        ObjectNode signed = JSON.createObjectNode().put("_type", "root").put("spec_version", "1.0.31")
                .put("version", version).put("expires", FUTURE.toString()).put("consistent_snapshot", false);
        ObjectNode keys = signed.putObject("keys");
        ObjectNode roles = signed.putObject("roles");
        role(keys, roles, "root", rootKeys, rootThreshold);
        role(keys, roles, "timestamp", timestampKeys, 1);
        role(keys, roles, "snapshot", snapshotKeys, 1);
        role(keys, roles, "targets", targetsKeys, targetsThreshold);
        return signed;
    }

    private static void role(ObjectNode keys, ObjectNode roles, String name, List<KeyPair> roleKeys, int threshold)
            throws Exception {
        ArrayNode ids = roles.putObject(name).put("threshold", threshold).putArray("keyids");
        for (KeyPair key : roleKeys) {
            keys.set(keyId(key), keyObject(key));
            ids.add(keyId(key));
        }
    }

    ObjectNode timestamp(long version, long snapshotVersion, Instant expires) {
        ObjectNode signed = JSON.createObjectNode().put("_type", "timestamp").put("spec_version", "1.0.31")
                .put("version", version).put("expires", expires.toString());
        signed.putObject("meta").putObject("snapshot.json").put("version", snapshotVersion);
        return signed;
    }

    ObjectNode snapshot(long version, long targetsVersion) {
        ObjectNode signed = JSON.createObjectNode().put("_type", "snapshot").put("spec_version", "1.0.31")
                .put("version", version).put("expires", FUTURE.toString());
        signed.putObject("meta").putObject("targets.json").put("version", targetsVersion);
        return signed;
    }

    ObjectNode targets(long version, byte[] target) throws Exception {
        Files.write(dir.resolve("targets/firmware/app.img"), target);
        ObjectNode signed = JSON.createObjectNode().put("_type", "targets").put("spec_version", "1.0.31")
                .put("version", version).put("expires", FUTURE.toString());
        ObjectNode entry = signed.putObject("targets").putObject("firmware/app.img").put("length", target.length);
        entry.putObject("hashes").put("sha256",
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(target)));
        return signed;
    }

    /** Writes {@code metadata/NAME} with {@code signed} signed by {@code signers}. */
    void write(String name, ObjectNode signed, KeyPair... signers) throws Exception {
        ObjectNode envelope = JSON.createObjectNode();
        ArrayNode signatures = envelope.putArray("signatures");
        byte[] canonical = CanonicalJson.encode(signed);
        for (KeyPair key : signers) {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key.getPrivate());
            signer.update(canonical);
            signatures.addObject().put("keyid", keyId(key)).put("sig", HexFormat.of().formatHex(signer.sign()));
        }
        envelope.set("signed", signed);
        Files.write(dir.resolve("metadata").resolve(name), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(envelope));
    }

    byte[] read(String name) throws Exception {
        return Files.readAllBytes(dir.resolve("metadata").resolve(name));
    }
}
