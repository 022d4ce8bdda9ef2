package io.palisade.radio;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventSink;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.policy.AccessDecision;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * What a radio listener records about a proven device's traffic, the same way for every protocol ({@code
 * details.protocol}): a publish the policies refuse ({@code acl.denied}) and a device over its quota
 * ({@code quota.exceeded}), both against the device, since its key or certificate proved who sent it.
 */
public final class DeviceTrafficEvents {

    private final EventSink sink;
    private final Clock clock;
    private final String protocol;
    private final String label;

    /** @param label how messages name the protocol, e.g. {@code CoAP} */
    public DeviceTrafficEvents(EventSink sink, Clock clock, String protocol, String label) {
        this.sink = sink;
        this.clock = clock;
        this.protocol = protocol;
        this.label = label;
    }

    public void refused(DeviceId device, String address, AccessDecision decision) {
        Map<String, String> details = new HashMap<>(decision.details());
        details.put("protocol", protocol);
        sink.emit(SecurityEvent.of(clock.instant(), EventType.ACL_DENIED, Severity.MEDIUM, device, address,
                label + " publish of device " + device + " to '" + decision.topic() + "' refused: "
                        + decision.reason()).withDetails(details));
    }

    public void overQuota(DeviceId device, String address, String topic) {
        sink.emit(SecurityEvent.of(clock.instant(), EventType.QUOTA_EXCEEDED, Severity.LOW, device, address,
                "device " + device + " publishes over " + label + " faster than its quota")
                .withDetails(Map.of("protocol", protocol, "topic", topic)));
    }
}
