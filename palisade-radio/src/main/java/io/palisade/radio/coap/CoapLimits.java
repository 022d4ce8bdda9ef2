package io.palisade.radio.coap;

/**
 * The CoAP listener's quotas: each device's publishes (the same per-device message rate as the MQTT gateway's, so a
 * device's quota does not depend on its protocol) and each address's DTLS handshakes (the gateway's connection rate
 * per address). In {@code palisade up}: {@code --limit messages-per-second=N}, {@code message-burst},
 * {@code connects-per-second-per-address}.
 */
public record CoapLimits(double publishesPerSecond, double publishBurst, double handshakesPerSecondPerAddress) {

    public CoapLimits {
        if (!(publishesPerSecond > 0) || !(publishBurst >= 1) || !(handshakesPerSecondPerAddress > 0)) {
            throw new IllegalArgumentException("CoAP limits must be positive (a burst at least 1)");
        }
    }

    public static CoapLimits defaults() {
        return new CoapLimits(20, 40, 10);
    }

    /** Handshakes an address may start at once: two seconds' worth. */
    double handshakeBurst() {
        return Math.max(1, handshakesPerSecondPerAddress * 2);
    }
}
