package io.palisade.legacy.modbus;

import io.palisade.core.device.Device;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Reads the Modbus/TCP Security role from a client certificate: extension {@value Device#ROLE_OID}, whose value is a
 * DER UTF8String (inside the OCTET STRING every extension value is wrapped in). A certificate without it has no role;
 * one whose value is not a well-formed UTF8String of 1-64 characters is refused, never guessed at.
 */
final class RoleExtension {

    static final int MAX_ROLE_CHARS = 64;

    private RoleExtension() {
    }

    /** The role, empty when the certificate has none; {@link IllegalArgumentException} when it is malformed. */
    static Optional<String> read(X509Certificate certificate) {
        byte[] wrapped = certificate.getExtensionValue(Device.ROLE_OID);
        return wrapped == null ? Optional.empty() : Optional.of(parse(wrapped));
    }

    /** {@code OCTET STRING { UTF8String role }}, DER, nothing after either. */
    static String parse(byte[] der) {
        byte[] inner = element(der, 0x04, "the extension value is not an OCTET STRING");
        byte[] text = element(inner, 0x0C, "the role is not a UTF8String");
        String role;
        try {
            role = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(text)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the role is not valid UTF-8");
        }
        if (role.isEmpty() || role.length() > MAX_ROLE_CHARS || role.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the role must be 1-" + MAX_ROLE_CHARS + " printable characters");
        }
        return role;
    }

    /** The contents of the one DER element in {@code der}, which must have tag {@code tag} and fill it exactly. */
    private static byte[] element(byte[] der, int tag, String notThat) {
        if (der.length < 2 || (der[0] & 0xFF) != tag) {
            throw new IllegalArgumentException(notThat);
        }
        int length = der[1] & 0xFF;
        int offset = 2;
        if (length == 0x81) {
            if (der.length < 3 || (der[2] & 0xFF) < 0x80) {
                throw new IllegalArgumentException(notThat + " (bad DER length)");
            }
            length = der[2] & 0xFF;
            offset = 3;
        } else if (length > 0x7F) {
            throw new IllegalArgumentException(notThat + " (a length over 255 bytes)");
        }
        if (offset + length != der.length) {
            throw new IllegalArgumentException(notThat + " (its length does not match)");
        }
        return java.util.Arrays.copyOfRange(der, offset, der.length);
    }
}
