package io.palisade.app;

import io.palisade.control.ControlPlane;
import io.palisade.gateway.BrokerLink;
import io.palisade.gateway.GatewayLimits;
import io.palisade.radio.zigbee.ZigbeeFeed;
import io.palisade.radio.zigbee.ZigbeeIngest;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;

/**
 * Wires ZigBee / 802.15.4 verification into a running instance: the keyring and bindings of the registry, frame
 * counters in the store, the publish decision and per-device quota of the policies, events and detection, a broker
 * link of its own for verified reports. Uploaded captures ({@code palisade zigbee ingest}) always reach it; the live
 * ZEP feed listens only when a port is given.
 */
public final class ZigbeeListener implements AutoCloseable {

    private final BrokerLink link;
    private final Optional<ZigbeeFeed> feed;

    private ZigbeeListener(BrokerLink link, Optional<ZigbeeFeed> feed) {
        this.link = link;
        this.feed = feed;
    }

    public static ZigbeeListener start(RunningPalisade palisade, Optional<InetSocketAddress> feedAddress,
                                       GatewayLimits limits) throws java.net.SocketException {
        ControlPlane plane = palisade.controlPlane();
        BrokerLink link = BrokerLink.connect(palisade.upstreamAddress(), "palisade-zigbee-" + ProcessHandle.current()
                .pid());
        try {
            Clock clock = Clock.systemUTC();
            ZigbeeIngest ingest = new ZigbeeIngest(plane.zigbee()::keyring, plane.radioFrameCounters(),
                    plane.registry(), plane.policies(), new io.palisade.core.limit.KeyedRateLimiter<>(
                            limits.messageBurst(), limits.messagesPerSecond(), 100_000, clock),
                    new LinkUpstream(link), plane.eventBus(), palisade.detectionTraffic(), clock);
            plane.serveZigbeeCaptures(ingest);
            Optional<ZigbeeFeed> feed = Optional.empty();
            if (feedAddress.isPresent()) {
                feed = Optional.of(ZigbeeFeed.start(feedAddress.get(), ingest, plane.eventBus(), clock));
            }
            return new ZigbeeListener(link, feed);
        } catch (java.net.SocketException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    public Optional<Integer> feedPort() {
        return feed.map(ZigbeeFeed::port);
    }

    @Override
    public void close() {
        feed.ifPresent(ZigbeeFeed::close);
        link.close();
    }
}
