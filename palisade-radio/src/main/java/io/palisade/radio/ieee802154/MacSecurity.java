package io.palisade.radio.ieee802154;

import java.nio.ByteBuffer;

/**
 * 802.15.4 MAC-layer frame security: the CCM* nonce is the sender's extended address and frame counter, most
 * significant byte first, then the security level (IEEE 802.15.4-2006 7.6.3.2). The sender must be named by its
 * extended address; a short source needs the extended address from elsewhere (the caller's bindings).
 */
public final class MacSecurity {

    private MacSecurity() {
    }

    public static byte[] nonce(long sourceExtended, long frameCounter, SecurityLevel level) {
        return ByteBuffer.allocate(CcmStar.NONCE_BYTES).putLong(sourceExtended).putInt((int) frameCounter)
                .put((byte) level.code()).array();
    }

    /** Verifies (and decrypts) a secured frame; answers the plaintext payload. */
    public static byte[] open(MacFrame frame, long sourceExtended, byte[] key) throws CcmStar.MicMismatch {
        AuxSecurityHeader security = frame.security().orElseThrow(() ->
                new IllegalArgumentException("frame is not secured"));
        byte[] body = java.util.Arrays.copyOfRange(frame.bytes(), frame.headerLength(), frame.bytes().length);
        return CcmStar.open(key, nonce(sourceExtended, security.frameCounter(), security.level()), security.level(),
                frame.header(), body);
    }
}
