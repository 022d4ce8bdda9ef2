package io.palisade.radio.coap;

import io.palisade.core.device.Device;
import io.palisade.core.event.TrafficObserver;
import io.palisade.core.limit.KeyedRateLimiter;
import io.palisade.core.policy.AccessDecision;
import io.palisade.core.policy.Action;
import io.palisade.core.policy.PolicyBook;
import io.palisade.core.policy.TopicFilters;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * {@code /ps/TOPIC}: a POST or PUT publishes its payload to the MQTT topic TOPIC (the path after {@code ps/}, segments
 * joined by {@code /}) through the same publish decision as an MQTT device's PUBLISH ({@link PolicyBook}: own tree,
 * management channel, policies, quarantine). Answers 2.04 Changed when the broker has it, 4.03 Forbidden with the
 * reason, 4.00 for a topic that is not one, 4.29 over the device's quota, 5.03 while the broker is unreachable. Every
 * deeper path resolves to this resource, so a topic of any depth reaches it.
 */
final class PublishResource extends CoapResource {

    static final String NAME = "ps";

    private final CoapPeers peers;
    private final PolicyBook policies;
    private final CoapUpstream upstream;
    private final KeyedRateLimiter<String> quota;
    private final CoapEvents events;
    private final TrafficObserver traffic;

    PublishResource(CoapPeers peers, PolicyBook policies, CoapUpstream upstream, KeyedRateLimiter<String> quota,
                    CoapEvents events, TrafficObserver traffic) {
        super(NAME);
        this.peers = peers;
        this.policies = policies;
        this.upstream = upstream;
        this.quota = quota;
        this.events = events;
        this.traffic = traffic;
        getAttributes().setTitle("publish to the MQTT topic named by the rest of the path");
    }

    @Override
    public Resource getChild(String name) {
        return this;
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
        publish(exchange);
    }

    @Override
    public void handlePUT(CoapExchange exchange) {
        publish(exchange);
    }

    private void publish(CoapExchange exchange) {
        String address = exchange.getSourceAddress().getHostAddress();
        CoapPeers.Peer peer = peers.identify(exchange.advanced().getRequest().getSourceContext().getPeerIdentity());
        if (peer.device().isEmpty()) {
            events.notADevice(address, peer.claimed(), peer.reason());
            exchange.respond(ResponseCode.UNAUTHORIZED, peer.reason(), MediaTypeRegistry.TEXT_PLAIN);
            return;
        }
        Device device = peer.device().get();
        String topic = topic(exchange.getRequestOptions().getUriPath());
        if (topic.isEmpty() || !TopicFilters.isValidTopicName(topic)) {
            String reason = "'" + topic + "' is not an MQTT topic name (/ps/TOPIC, no wildcards)";
            events.malformed(peer.claimed(), address, reason);
            exchange.respond(ResponseCode.BAD_REQUEST, reason, MediaTypeRegistry.TEXT_PLAIN);
            return;
        }
        AccessDecision decision = policies.decide(device, Action.PUBLISH, topic);
        if (!decision.allowed()) {
            events.refused(device.id(), address, decision);
            exchange.respond(ResponseCode.FORBIDDEN, decision.reason(), MediaTypeRegistry.TEXT_PLAIN);
            return;
        }
        if (!quota.tryAcquire(device.id().value())) {
            events.overQuota(device.id(), address, topic);
            exchange.respond(ResponseCode.TOO_MANY_REQUESTS, "over the device's publish quota; retry later",
                    MediaTypeRegistry.TEXT_PLAIN);
            return;
        }
        if (!upstream.isConnected()) {
            exchange.respond(ResponseCode.SERVICE_UNAVAILABLE, "the broker is unreachable; retry later",
                    MediaTypeRegistry.TEXT_PLAIN);
            return;
        }
        byte[] payload = exchange.getRequestPayload();
        upstream.publish(topic, payload);
        traffic.published(device.id(), topic, ByteBuffer.wrap(payload));
        exchange.respond(ResponseCode.CHANGED);
    }

    /** The path after {@code ps}, joined by {@code /}. */
    static String topic(List<String> path) {
        return path.size() <= 1 ? "" : String.join("/", path.subList(1, path.size()));
    }
}
