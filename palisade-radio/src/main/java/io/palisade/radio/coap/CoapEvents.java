package io.palisade.radio.coap;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventSink;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.policy.AccessDecision;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CoAP listener's security events, with {@code protocol} coap in their details. A failed handshake or a peer that
 * is no device counts against its source address (a PSK identity is only a claim until the handshake proves it); a
 * refused publish counts against the device the session proved.
 */
final class CoapEvents {

    private final EventSink sink;
    private final Clock clock;
    private final io.palisade.radio.DeviceTrafficEvents traffic;

    CoapEvents(EventSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
        this.traffic = new io.palisade.radio.DeviceTrafficEvents(sink, clock, "coap", "CoAP");
    }

    void handshakeFailed(String address, String reason) {
        sink.emit(SecurityEvent.of(clock.instant(), EventType.AUTH_FAILED, Severity.MEDIUM, null, address,
                "DTLS handshake from " + address + " failed: " + reason)
                .withDetails(Map.of("protocol", "coap", "reason", reason)));
    }

    void notADevice(String address, Optional<DeviceId> claimed, String reason) {
        Map<String, String> details = new HashMap<>(Map.of("protocol", "coap", "reason", reason));
        claimed.ifPresent(id -> details.put("claimed_device", id.value()));
        sink.emit(SecurityEvent.of(clock.instant(), EventType.AUTH_FAILED, Severity.MEDIUM, null, address,
                "CoAP request from " + address + " refused: " + reason).withDetails(details));
    }

    void refused(DeviceId device, String address, AccessDecision decision) {
        traffic.refused(device, address, decision);
    }

    void overQuota(DeviceId device, String address, String topic) {
        traffic.overQuota(device, address, topic);
    }

    void handshakesOverQuota(String address) {
        sink.emit(SecurityEvent.of(clock.instant(), EventType.QUOTA_EXCEEDED, Severity.MEDIUM, null, address,
                "DTLS handshakes from " + address + " refused: more than its quota").withDetails(Map.of("protocol",
                "coap", "quota", "handshakes per address")));
    }

    void malformed(Optional<DeviceId> device, String address, String reason) {
        sink.emit(SecurityEvent.of(clock.instant(), EventType.PROTOCOL_VIOLATION, Severity.LOW, device.orElse(null),
                address, "malformed CoAP request from " + address + ": " + reason)
                .withDetails(Map.of("protocol", "coap", "reason", reason)));
    }
}
