package io.palisade.radio.zigbee;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventSink;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.limit.KeyedRateLimiter;
import io.palisade.core.policy.AccessDecision;
import java.time.Clock;
import java.util.Map;

/**
 * The ZigBee ingest's security events, with {@code protocol} zigbee in their details. A finding counts against the
 * feed that delivered the frame (its {@code address}), never against the device the frame names ({@code
 * claimed_source}). At most {@value #EVENTS_PER_SECOND} finding events a second per feed and finding, so a jammer or a
 * flood of forged frames cannot flood the event store; the rest are counted in the ingest's report.
 */
final class ZigbeeEvents {

    static final int EVENTS_PER_SECOND = 10;

    private final EventSink sink;
    private final Clock clock;
    private final io.palisade.radio.DeviceTrafficEvents traffic;
    private final KeyedRateLimiter<String> limiter;

    ZigbeeEvents(EventSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
        this.traffic = new io.palisade.radio.DeviceTrafficEvents(sink, clock, "zigbee", "ZigBee");
        this.limiter = new KeyedRateLimiter<>(EVENTS_PER_SECOND, EVENTS_PER_SECOND, 10_000, clock);
    }

    /** Records the finding; false when over the event rate (the caller counts it). */
    boolean finding(String feed, Verdict.Flagged flagged) {
        if (!limiter.tryAcquire(feed + "|" + flagged.finding().wireName())) {
            return false;
        }
        sink.emit(SecurityEvent.of(clock.instant(), EventType.RADIO_FINDING, flagged.finding().severity(), null, feed,
                "ZigBee frame from " + feed + " claiming to be " + flagged.claimedSource() + ": "
                        + flagged.reason()).withDetails(Map.of("protocol", "zigbee", "finding",
                flagged.finding().wireName(), "claimed_source", flagged.claimedSource(), "reason", flagged.reason())));
        return true;
    }

    void refused(DeviceId device, String address, AccessDecision decision) {
        traffic.refused(device, address, decision);
    }

    void overQuota(DeviceId device, String address, String topic) {
        traffic.overQuota(device, address, topic);
    }
}
