package io.palisade.core.radio;

import io.palisade.core.device.DeviceId;
import java.util.Map;
import java.util.Optional;

/**
 * What Palisade knows of one ZigBee / 802.15.4 network at a moment: the network keys by key sequence number, the MAC
 * layer keys by key index, the link keys shared with the trust center by IEEE address, and which registered device
 * each IEEE address is. Keys are opened (unsealed) copies held only in memory; the registry stores them sealed.
 *
 * @param level the network's security level (nwkSecurityLevel, 5 = ENC-MIC-32 on every ZigBee PRO network)
 */
public record ZigbeeKeyring(Map<Integer, byte[]> networkKeys, Map<Integer, byte[]> macKeys,
                            Map<Long, byte[]> linkKeys, Map<Long, DeviceId> devices, int level) {

    public static final int DEFAULT_LEVEL = 5;

    public static ZigbeeKeyring empty() {
        return new ZigbeeKeyring(Map.of(), Map.of(), Map.of(), Map.of(), DEFAULT_LEVEL);
    }

    public ZigbeeKeyring {
        networkKeys = Map.copyOf(networkKeys);
        macKeys = Map.copyOf(macKeys);
        linkKeys = Map.copyOf(linkKeys);
        devices = Map.copyOf(devices);
    }

    /** A network with a network key is a secured network: an unsecured data frame on it is a finding. */
    public boolean secured() {
        return !networkKeys.isEmpty();
    }

    public Optional<DeviceId> deviceOf(long ieee) {
        return Optional.ofNullable(devices.get(ieee));
    }
}
