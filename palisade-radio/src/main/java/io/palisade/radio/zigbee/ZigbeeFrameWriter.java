package io.palisade.radio.zigbee;

import io.palisade.radio.ieee802154.SecurityLevel;
import io.palisade.radio.ieee802154.Writer;

/**
 * Builds ZigBee frames as a device sends them — an 802.15.4 data frame (2003 format, short addresses, PAN ID
 * compression, no MAC security: ZigBee PRO secures at NWK and APS) carrying a NWK frame carrying an APS frame — for the
 * simulator, tests and benchmarks. The NWK and APS auxiliary headers use the extended nonce, so every secured frame
 * names its sender's IEEE address.
 */
public final class ZigbeeFrameWriter {

    /** The sender: its PAN, short address and IEEE address. */
    public record Sender(int pan, int shortAddress, long ieee) {
    }

    /** An APS data frame's addressing: endpoints, cluster and profile. */
    public record ApsData(int destinationEndpoint, int cluster, int profile, int sourceEndpoint, int counter) {
    }

    private ZigbeeFrameWriter() {
    }

    /** An APS data frame, NWK-secured with {@code networkKey} (sequence {@code keySequence}) at {@code level}. */
    public static byte[] data(Sender from, int destination, int macSequence, int nwkSequence, long frameCounter,
                              byte[] networkKey, int keySequence, SecurityLevel level, ApsData aps, byte[] payload) {
        return mac(from, destination, macSequence, nwkSecured(from, destination, nwkSequence, frameCounter,
                networkKey, keySequence, level, apsData(aps, payload)));
    }

    /** The same frame without NWK security (as a device on an unsecured network, or an attacker, sends it). */
    public static byte[] unsecuredData(Sender from, int destination, int macSequence, int nwkSequence, ApsData aps,
                                       byte[] payload) {
        byte[] header = nwkHeader(from, destination, nwkSequence, false).toByteArray();
        return mac(from, destination, macSequence, concat(header, apsData(aps, payload)));
    }

    /**
     * An APS command (e.g. transport-key, id 0x05) secured with the key-transport key derived from {@code linkKey}
     * under an unsecured NWK header: how a trust center hands a joining device the network key.
     */
    public static byte[] apsCommand(Sender from, int destination, int macSequence, int nwkSequence, int apsCounter,
                                    long frameCounter, byte[] linkKey, SecurityLevel level, byte[] command) {
        Writer aps = new Writer().u8(0x21).u8(apsCounter); // command frame, secured
        int auxOffset = aps.size();
        aps.u8((ZigbeeAuxHeader.KeyId.KEY_TRANSPORT.ordinal() << 3) | 0x20).u32(frameCounter).u64(from.ieee());
        byte[] secured = ZigbeeSecurity.seal(aps.toByteArray(), auxOffset, from.ieee(), frameCounter,
                KeyHash.keyTransportKey(linkKey), level, command);
        byte[] header = nwkHeader(from, destination, nwkSequence, false).toByteArray();
        return mac(from, destination, macSequence, concat(header, secured));
    }

    static byte[] nwkSecured(Sender from, int destination, int nwkSequence, long frameCounter, byte[] networkKey,
                             int keySequence, SecurityLevel level, byte[] payload) {
        Writer header = nwkHeader(from, destination, nwkSequence, true);
        int auxOffset = header.size();
        header.u8((ZigbeeAuxHeader.KeyId.NETWORK.ordinal() << 3) | 0x20).u32(frameCounter).u64(from.ieee())
                .u8(keySequence);
        return ZigbeeSecurity.seal(header.toByteArray(), auxOffset, from.ieee(), frameCounter, networkKey, level,
                payload);
    }

    private static Writer nwkHeader(Sender from, int destination, int sequence, boolean secured) {
        int control = NwkFrame.DATA | 2 << 2 | (secured ? 0x200 : 0) | 0x1000; // version 2, source IEEE present
        return new Writer().u16(control).u16(destination).u16(from.shortAddress()).u8(30).u8(sequence)
                .u64(from.ieee());
    }

    static byte[] apsData(ApsData aps, byte[] payload) {
        return new Writer().u8(0x00).u8(aps.destinationEndpoint()).u16(aps.cluster()).u16(aps.profile())
                .u8(aps.sourceEndpoint()).u8(aps.counter()).bytes(payload).toByteArray();
    }

    private static byte[] mac(Sender from, int destination, int sequence, byte[] payload) {
        return new Writer().u16(0x8841).u8(sequence).u16(from.pan()).u16(destination).u16(from.shortAddress())
                .bytes(payload).toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
