package io.palisade.radio.coap;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.device.DeviceState;
import io.palisade.core.device.PreSharedKeys;
import io.palisade.core.secret.SecretBytes;
import java.net.InetSocketAddress;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.eclipse.californium.elements.util.Bytes;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.PskSecretResult;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedPskStore;
import org.eclipse.californium.scandium.util.SecretUtil;
import org.eclipse.californium.scandium.util.ServerNames;

/**
 * The DTLS server's pre-shared keys: the PSK identity is the device id; a registered, unrevoked device that has a key
 * (issued with {@code palisade device psk}) gets its handshake, anything else fails it (Scandium then answers with a
 * decrypt-error alert and the failure is recorded against the source address). Called on Scandium's handshake threads,
 * which may wait for the store.
 */
final class DevicePskStore implements AdvancedPskStore {

    private final DeviceRegistry registry;
    private final PreSharedKeys keys;

    DevicePskStore(DeviceRegistry registry, PreSharedKeys keys) {
        this.registry = registry;
        this.keys = keys;
    }

    @Override
    public boolean hasEcdhePskSupported() {
        return true;
    }

    @Override
    public PskSecretResult requestPskSecretResult(ConnectionId cid, ServerNames serverName,
                                                  PskPublicInformation identity, String hmacAlgorithm,
                                                  SecretKey otherSecret, byte[] seed, boolean useExtendedMasterSecret) {
        Optional<SecretBytes> key = keyOf(identity.getPublicInfoAsString());
        if (key.isEmpty()) {
            return new PskSecretResult(cid, identity, null);
        }
        try (SecretBytes secret = key.get()) {
            byte[] bytes = secret.copy();
            SecretKey psk = SecretUtil.create(bytes, "PSK");
            Bytes.clear(bytes);
            return new PskSecretResult(cid, identity, psk);
        }
    }

    /** The key of the device the identity names, if it is registered, unrevoked and has one. */
    private Optional<SecretBytes> keyOf(String identity) {
        if (!DeviceId.isValid(identity)) {
            return Optional.empty();
        }
        DeviceId id = DeviceId.of(identity);
        Optional<Device> device = registry.find(id);
        if (device.isEmpty() || device.get().state() == DeviceState.REVOKED) {
            return Optional.empty();
        }
        return keys.find(id);
    }

    @Override
    public PskPublicInformation getIdentity(InetSocketAddress peerAddress, ServerNames virtualHost) {
        return null; // a server has no identity of its own to offer
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        // answers synchronously
    }
}
