package io.palisade.core.device;

import java.util.Optional;

/**
 * Devices' raw public keys (RFC 7250) for DTLS: which registered device a SubjectPublicKeyInfo belongs to. A device
 * that proves possession of the key in a handshake is that device, without a certificate on the air.
 */
@FunctionalInterface
public interface DevicePublicKeys {

    /** The device whose registered raw public key is {@code subjectPublicKeyInfo} (DER), if any. */
    Optional<DeviceId> deviceOf(byte[] subjectPublicKeyInfo);
}
