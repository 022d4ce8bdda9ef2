package io.palisade.radio.zigbee;

import io.palisade.radio.ieee802154.CcmStar;
import io.palisade.radio.ieee802154.SecurityLevel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * ZigBee NWK and APS frame security (ZigBee specification 4.3–4.4, Annex A): CCM* with the nonce = sender's IEEE
 * address and frame counter, least significant byte first, then the security control byte <em>with the level
 * restored</em> — devices send the level bits as zero and both ends use the network's level (nwkSecurityLevel,
 * normally 5 = ENC-MIC-32). The same restored byte is what the MIC authenticates in the header.
 */
public final class ZigbeeSecurity {

    /** The level every ZigBee PRO / 3.0 network uses. */
    public static final SecurityLevel DEFAULT_LEVEL = SecurityLevel.ENC_MIC_32;

    private ZigbeeSecurity() {
    }

    public static byte[] nonce(long sourceIeee, long frameCounter, int control) {
        return ByteBuffer.allocate(CcmStar.NONCE_BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(sourceIeee)
                .putInt((int) frameCounter).put((byte) control).array();
    }

    /**
     * Verifies and decrypts the part of {@code frame} after {@code headerLength}, whose auxiliary header is {@code aux}.
     * Answers the plaintext payload.
     */
    public static byte[] open(byte[] frame, int headerLength, ZigbeeAuxHeader aux, long sourceIeee, byte[] key,
                              SecurityLevel level) throws CcmStar.MicMismatch {
        int control = withLevel(aux.control(), level);
        byte[] header = Arrays.copyOf(frame, headerLength);
        header[aux.offset()] = (byte) control;
        byte[] body = Arrays.copyOfRange(frame, headerLength, frame.length);
        return CcmStar.open(key, nonce(sourceIeee, aux.frameCounter(), control), level, header, body);
    }

    /**
     * Secures a frame whose header (ending with the auxiliary header, level bits zero as sent on air) is {@code header}
     * and whose auxiliary header starts at {@code auxOffset}: answers header || sealed payload || MIC.
     */
    public static byte[] seal(byte[] header, int auxOffset, long sourceIeee, long frameCounter, byte[] key,
                              SecurityLevel level, byte[] payload) {
        int control = withLevel(header[auxOffset] & 0xff, level);
        byte[] authenticated = header.clone();
        authenticated[auxOffset] = (byte) control;
        byte[] sealed = CcmStar.seal(key, nonce(sourceIeee, frameCounter, control), level, authenticated, payload);
        byte[] out = Arrays.copyOf(header, header.length + sealed.length);
        System.arraycopy(sealed, 0, out, header.length, sealed.length);
        return out;
    }

    private static int withLevel(int control, SecurityLevel level) {
        return (control & ~0x07) | level.code();
    }
}
