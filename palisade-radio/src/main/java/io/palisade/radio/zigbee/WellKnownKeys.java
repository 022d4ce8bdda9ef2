package io.palisade.radio.zigbee;

import java.nio.charset.StandardCharsets;

/** Keys printed in public specifications: whoever records a frame secured with one can read it. */
public final class WellKnownKeys {

    /** The ZigBee 3.0 / HA default global trust-center link key, "ZigBeeAlliance09". */
    public static final byte[] DEFAULT_TC_LINK_KEY = "ZigBeeAlliance09".getBytes(StandardCharsets.US_ASCII);

    private WellKnownKeys() {
    }

    public static boolean isDefaultTrustCenterKey(byte[] key) {
        return java.security.MessageDigest.isEqual(key, DEFAULT_TC_LINK_KEY);
    }
}
