package io.palisade.firmware.tuf;

import io.palisade.firmware.FirmwareCrypto;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * TUF key objects and signatures: {@code ecdsa}/{@code ecdsa-sha2-nistp256} with a PEM public key
 * (hex DER signatures), and {@code ed25519} with a hex raw public key (hex signatures).
 */
public final class TufKeys {

    /** DER prefix of an Ed25519 SubjectPublicKeyInfo, before the 32 raw key bytes. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private TufKeys() {
    }

    /** A verification key together with the scheme its signatures use. */
    record Key(PublicKey publicKey, String scheme) {
    }

    static Key parse(JsonNode key) throws TufException {
        String type = key.path("keytype").asText();
        String scheme = key.path("scheme").asText();
        String value = key.path("keyval").path("public").asText();
        try {
            if ((type.equals("ecdsa") || type.equals("ecdsa-sha2-nistp256")) && scheme.equals("ecdsa-sha2-nistp256")) {
                try (PEMParser parser = new PEMParser(new StringReader(value))) {
                    Object object = parser.readObject();
                    if (!(object instanceof SubjectPublicKeyInfo info)) {
                        throw new TufException("an ecdsa key's keyval.public is not a PEM public key");
                    }
                    return new Key(new JcaPEMKeyConverter().setProvider(FirmwareCrypto.BC).getPublicKey(info), scheme);
                }
            }
            if (type.equals("ed25519") && scheme.equals("ed25519")) {
                byte[] raw = HexFormat.of().parseHex(value);
                byte[] spki = new byte[ED25519_SPKI_PREFIX.length + raw.length];
                System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
                System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
                return new Key(KeyFactory.getInstance("Ed25519", FirmwareCrypto.BC).generatePublic(new X509EncodedKeySpec(spki)),
                        scheme);
            }
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new TufException("unreadable " + type + " key: " + e.getMessage(), e);
        }
        throw new TufException("unsupported key type '" + type + "' with scheme '" + scheme + "'");
    }

    /** The TUF key object of an ECDSA P-256 public key: {@code keytype ecdsa}, PEM public key. */
    public static com.fasterxml.jackson.databind.node.ObjectNode ecdsaKeyObject(PublicKey key) throws TufException {
        java.io.StringWriter pem = new java.io.StringWriter();
        try (org.bouncycastle.openssl.jcajce.JcaPEMWriter writer = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(pem)) {
            writer.writeObject(key);
        } catch (IOException e) {
            throw new TufException("cannot encode key", e);
        }
        com.fasterxml.jackson.databind.node.ObjectNode node = new com.fasterxml.jackson.databind.ObjectMapper()
                .createObjectNode().put("keytype", "ecdsa").put("scheme", "ecdsa-sha2-nistp256");
        node.putObject("keyval").put("public", pem.toString());
        return node;
    }

    /** A key id: SHA-256 of the key object's canonical JSON, hex (clients use key ids only as names). */
    public static String keyId(com.fasterxml.jackson.databind.JsonNode keyObject) throws TufException {
        return HexFormat.of().formatHex(FirmwareCrypto.sha256(CanonicalJson.encode(keyObject)));
    }

    static boolean verify(Key key, byte[] canonical, String signatureHex) {
        try {
            Signature verifier = Signature.getInstance(key.scheme().equals("ed25519") ? "Ed25519" : "SHA256withECDSA",
                    FirmwareCrypto.BC);
            verifier.initVerify(key.publicKey());
            verifier.update(canonical);
            return verifier.verify(HexFormat.of().parseHex(signatureHex));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
