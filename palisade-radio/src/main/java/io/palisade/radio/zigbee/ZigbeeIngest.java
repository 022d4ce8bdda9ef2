package io.palisade.radio.zigbee;

import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.device.DeviceState;
import io.palisade.core.event.EventSink;
import io.palisade.core.event.TrafficObserver;
import io.palisade.core.limit.KeyedRateLimiter;
import io.palisade.core.policy.AccessDecision;
import io.palisade.core.policy.Action;
import io.palisade.core.policy.PolicyBook;
import io.palisade.core.radio.FrameCounters;
import io.palisade.core.radio.IngestReport;
import io.palisade.core.radio.ZigbeeKeyring;
import io.palisade.radio.BrokerUpstream;
import io.palisade.radio.capture.CapturedFrame;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Takes frames from captures and feeds, verifies them ({@link ZigbeeVerifier}) and forwards each verified APS data
 * payload to its device's topic {@code devices/ID/zigbee/ENDPOINT/CLUSTER} (cluster in four hex digits) through the
 * same publish decision and per-device quota as the device's MQTT and CoAP traffic, and to detection. Batches are
 * handled in order: the counter windows a batch moved are saved before any of its frames is forwarded, so a frame
 * forwarded once is a replay after any restart. One batch at a time (synchronized): captures uploaded and the live feed
 * share the windows.
 */
public final class ZigbeeIngest implements io.palisade.core.radio.CaptureIngest {

    /** Frames verified between two saves of the counter windows. */
    public static final int BATCH = 256;

    private final Supplier<ZigbeeKeyring> keyring;
    private final CounterWindows windows;
    private final ZigbeeVerifier verifier;
    private final DeviceRegistry registry;
    private final PolicyBook policies;
    private final KeyedRateLimiter<String> quota;
    private final BrokerUpstream upstream;
    private final TrafficObserver traffic;
    private final ZigbeeEvents events;

    public ZigbeeIngest(Supplier<ZigbeeKeyring> keyring, FrameCounters counters, DeviceRegistry registry, PolicyBook policies,
                        KeyedRateLimiter<String> quota, BrokerUpstream upstream, EventSink sink,
                        TrafficObserver traffic, Clock clock) {
        this.keyring = keyring;
        this.windows = new CounterWindows(counters);
        this.verifier = new ZigbeeVerifier(windows);
        this.registry = registry;
        this.policies = policies;
        this.quota = quota;
        this.upstream = upstream;
        this.traffic = traffic;
        this.events = new ZigbeeEvents(sink, clock);
    }

    public static String topic(DeviceId device, int endpoint, int cluster) {
        return String.format(Locale.ROOT, "devices/%s/zigbee/%d/%04x", device.value(), endpoint, cluster);
    }

    /** Reads a pcap file and ingests its frames in batches of {@value #BATCH}, in file order. */
    @Override
    public IngestReport ingest(java.io.InputStream capture, String feed) {
        List<CapturedFrame> frames = new ArrayList<>();
        io.palisade.radio.capture.PcapReader.Summary summary;
        try {
            summary = io.palisade.radio.capture.PcapReader.read(capture, feed, frames::add);
        } catch (io.palisade.radio.ieee802154.FrameFormatException e) {
            throw new IllegalArgumentException(e.getMessage());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        IngestReport report = IngestReport.NONE.withBadFcs(summary.badFcs());
        for (int from = 0; from < frames.size(); from += BATCH) {
            report = report.plus(ingest(frames.subList(from, Math.min(frames.size(), from + BATCH))));
        }
        return report;
    }

    public synchronized IngestReport ingest(List<CapturedFrame> batch) {
        ZigbeeKeyring keys = keyring.get();
        Tally tally = new Tally();
        List<Delivery> deliveries = new ArrayList<>();
        for (CapturedFrame frame : batch) {
            tally.frames++;
            Verdict verdict = verifier.verify(frame, keys);
            if (verdict instanceof Verdict.Forward forward) {
                deliveries.add(new Delivery(frame.feed(), forward));
            } else if (verdict instanceof Verdict.Flagged flagged) {
                tally.finding(flagged.finding());
                events.finding(frame.feed(), flagged);
            } else {
                tally.ignored++;
            }
        }
        windows.persist();
        for (Delivery delivery : deliveries) {
            deliver(delivery, tally);
        }
        return tally.report();
    }

    private record Delivery(String feed, Verdict.Forward frame) {
    }

    private void deliver(Delivery delivery, Tally tally) {
        Verdict.Forward frame = delivery.frame();
        DeviceId device = frame.device();
        String topic = topic(device, frame.aps().sourceEndpoint(), frame.aps().cluster());
        var registered = registry.find(device);
        if (registered.isEmpty() || registered.get().state() == DeviceState.REVOKED) {
            tally.refused++; // bound to a device since deleted or revoked: its keys vouch for nobody now
            return;
        }
        AccessDecision decision = policies.decide(registered.get(), Action.PUBLISH, topic);
        if (!decision.allowed()) {
            tally.refused++;
            events.refused(device, delivery.feed(), decision);
            return;
        }
        if (!quota.tryAcquire(device.value())) {
            tally.overQuota++;
            events.overQuota(device, delivery.feed(), topic);
            return;
        }
        if (!upstream.isConnected()) {
            tally.brokerUnavailable++;
            return;
        }
        upstream.publish(topic, frame.payload());
        traffic.published(device, topic, ByteBuffer.wrap(frame.payload()));
        tally.forwarded++;
    }
}
