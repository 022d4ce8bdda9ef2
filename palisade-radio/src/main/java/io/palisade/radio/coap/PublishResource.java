package io.palisade.radio.coap;

import io.palisade.radio.BrokerUpstream;
import io.palisade.core.device.Device;
import io.palisade.core.event.TrafficObserver;
import io.palisade.core.limit.KeyedRateLimiter;
import io.palisade.core.policy.AccessDecision;
import io.palisade.core.policy.Action;
import io.palisade.core.policy.PolicyBook;
import io.palisade.core.policy.TopicFilters;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * {@code /ps/TOPIC}: a POST or PUT publishes its payload to the MQTT topic TOPIC (the path after {@code ps/}, segments
 * joined by {@code /}) through the same publish decision as an MQTT device's PUBLISH ({@link PolicyBook}: own tree,
 * management channel, policies, quarantine). Answers 2.04 Changed when the broker has it, 4.03 Forbidden with the
 * reason, 4.00 for a topic that is not one, 4.29 over the device's quota, 5.03 while the broker is unreachable. A GET
 * (through the subscribe decision) answers the newest message Palisade has relayed on the topic since it first
 * watched it (4.04 before any); the path may be an MQTT filter ({@code +}, and {@code #} written {@code %23}), answered
 * in JSON with the topic each message came on; with Observe (RFC 7641) each new message is a notification, and a device that may no
 * longer subscribe (quarantined, policy changed) gets 4.03, which ends its observation. Every deeper path resolves to
 * this resource, so a topic of any depth reaches it.
 */
final class PublishResource extends CoapResource {

    static final String NAME = "ps";

    private final CoapPeers peers;
    private final PolicyBook policies;
    private final BrokerUpstream upstream;
    private final KeyedRateLimiter<String> quota;
    private final CoapEvents events;
    private final TrafficObserver traffic;

    private final TopicFeed feed;

    PublishResource(CoapPeers peers, PolicyBook policies, BrokerUpstream upstream, KeyedRateLimiter<String> quota,
                    CoapEvents events, TrafficObserver traffic) {
        super(NAME);
        setObservable(true);
        getAttributes().setObservable();
        this.feed = new TopicFeed(upstream, topic -> changed(relation ->
                topic.equals(topic(relation.getExchange().getRequest().getOptions().getUriPath()))));
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

    @Override
    public void handleGET(CoapExchange exchange) {
        Optional<Request> request = request(exchange, Action.SUBSCRIBE);
        if (request.isEmpty()) {
            return;
        }
        if (!feed.watch(request.get().topic())) {
            exchange.respond(ResponseCode.SERVICE_UNAVAILABLE, "Palisade watches " + TopicFeed.MAX_TOPICS
                    + " topics for CoAP devices already", MediaTypeRegistry.TEXT_PLAIN);
            return;
        }
        Optional<TopicFeed.Message> newest = feed.newest(request.get().topic());
        if (newest.isPresent() && isFilter(request.get().topic())) {
            exchange.respond(ResponseCode.CONTENT, withTopic(newest.get()), MediaTypeRegistry.APPLICATION_JSON);
        } else if (newest.isPresent()) {
            exchange.respond(ResponseCode.CONTENT, newest.get().payload());
        } else if (exchange.getRequestOptions().hasObserve()) {
            exchange.respond(ResponseCode.CONTENT); // observing: the next message is the first notification
        } else {
            exchange.respond(ResponseCode.NOT_FOUND, "no message on '" + request.get().topic() + "' yet",
                    MediaTypeRegistry.TEXT_PLAIN);
        }
    }

    private static boolean isFilter(String topic) {
        return topic.contains("+") || topic.contains("#");
    }

    /**
     * What a filter's observer gets: which topic the message came on, and the payload — as text when it is UTF-8,
     * otherwise in base64 ({@code payload_base64}).
     */
    static byte[] withTopic(TopicFeed.Message message) {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("topic", message.topic());
        java.nio.charset.CharsetDecoder utf8 = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
        try {
            json.put("payload", utf8.decode(ByteBuffer.wrap(message.payload())).toString());
        } catch (java.nio.charset.CharacterCodingException notText) {
            json.put("payload_base64", java.util.Base64.getEncoder().encodeToString(message.payload()));
        }
        return json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** An identified device and a topic it may use for {@code action}; otherwise answered and recorded. */
    private record Request(Device device, String address, String topic) {
    }

    private Optional<Request> request(CoapExchange exchange, Action action) {
        String address = exchange.getSourceAddress().getHostAddress();
        CoapPeers.Peer peer = peers.identify(exchange.advanced().getRequest().getSourceContext().getPeerIdentity());
        if (peer.device().isEmpty()) {
            events.notADevice(address, peer.claimed(), peer.reason());
            exchange.respond(ResponseCode.UNAUTHORIZED, peer.reason(), MediaTypeRegistry.TEXT_PLAIN);
            return Optional.empty();
        }
        Device device = peer.device().get();
        String topic = topic(exchange.getRequestOptions().getUriPath());
        boolean valid = action == Action.SUBSCRIBE ? TopicFilters.isValidFilter(topic)
                : TopicFilters.isValidTopicName(topic);
        if (topic.isEmpty() || !valid) {
            String reason = "'" + topic + "' is not an MQTT topic " + (action == Action.SUBSCRIBE
                    ? "or filter (GET /ps/FILTER; # written %23)" : "name (POST /ps/TOPIC, no wildcards)");
            events.malformed(peer.claimed(), address, reason);
            exchange.respond(ResponseCode.BAD_REQUEST, reason, MediaTypeRegistry.TEXT_PLAIN);
            return Optional.empty();
        }
        AccessDecision decision = policies.decide(device, action, topic);
        if (!decision.allowed()) {
            events.refused(device.id(), address, decision);
            exchange.respond(ResponseCode.FORBIDDEN, decision.reason(), MediaTypeRegistry.TEXT_PLAIN);
            return Optional.empty();
        }
        return Optional.of(new Request(device, address, topic));
    }

    private void publish(CoapExchange exchange) {
        Optional<Request> request = request(exchange, Action.PUBLISH);
        if (request.isEmpty()) {
            return;
        }
        Device device = request.get().device();
        String address = request.get().address();
        String topic = request.get().topic();
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
