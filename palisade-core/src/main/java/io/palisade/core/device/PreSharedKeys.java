package io.palisade.core.device;

import io.palisade.core.secret.SecretBytes;
import java.util.Optional;

/**
 * Devices' pre-shared keys for DTLS (constrained devices that cannot run certificates), as the CoAP listener asks for
 * them during a handshake: the key of a registered device, or none. The keys are stored sealed; this opens one.
 */
@FunctionalInterface
public interface PreSharedKeys {

    /** The device's key, for the caller to use and close; empty when it has none. */
    Optional<SecretBytes> find(DeviceId device);
}
