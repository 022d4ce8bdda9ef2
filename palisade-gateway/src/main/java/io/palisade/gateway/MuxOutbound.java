package io.palisade.gateway;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.ArrayDeque;
import java.util.Set;

/**
 * The devices' publishes on their way up a mux: each QoS 1 or 2 publish gets a packet id of the mux's, the
 * broker's answer goes back to its device under the device's own id, and no more are unanswered than the
 * broker's Receive Maximum allows; the rest wait here, in order, and the sessions stop reading until there is
 * room ({@link UpstreamMux#isWritable}). The gateway never acknowledges a device's publish itself.
 */
final class MuxOutbound {

    /** A device's QoS 1 or 2 publish on its way: whose it is and under which packet id the device sent it. */
    private static final class Outbound {
        final MuxedSession session;
        final int devicePacketId;
        MqttPublishMessage waiting;

        Outbound(MuxedSession session, int devicePacketId) {
            this.session = session;
            this.devicePacketId = devicePacketId;
        }
    }

    private final Channel channel;
    private final MuxPacketIds packetIds;
    /** Sessions that were handed something in this read pass (flushed at its end). */
    private final Set<MuxedSession> touched;
    /** Told when the queue has emptied, so that waiting sessions read again. */
    private final Runnable roomAgain;
    private int brokerReceiveMaximum = MuxPacketIds.MAX;
    private int publishesInFlight;
    private final ArrayDeque<Outbound> queued = new ArrayDeque<>();

    MuxOutbound(Channel channel, MuxPacketIds packetIds, Set<MuxedSession> touched, Runnable roomAgain) {
        this.channel = channel;
        this.packetIds = packetIds;
        this.touched = touched;
        this.roomAgain = roomAgain;
    }

    /** The broker's Receive Maximum for the mux connection, from its CONNACK. */
    void brokerReceiveMaximum(int maximum) {
        this.brokerReceiveMaximum = maximum;
    }

    boolean nothingQueued() {
        return queued.isEmpty();
    }

    void publish(MuxedSession session, MqttPublishMessage publish) {
        if (publish.fixedHeader().qosLevel() == MqttQoS.AT_MOST_ONCE) {
            channel.write(publish, channel.voidPromise());
            return;
        }
        Outbound outbound = new Outbound(session, publish.variableHeader().packetId());
        if (queued.isEmpty() && hasRoom()) {
            send(outbound, publish);
        } else {
            outbound.waiting = publish;
            queued.add(outbound);
        }
    }

    private boolean hasRoom() {
        return publishesInFlight < brokerReceiveMaximum && !packetIds.full();
    }

    private void send(Outbound outbound, MqttPublishMessage publish) {
        int packetId = packetIds.take(outbound);
        publishesInFlight++;
        if (publish.fixedHeader().qosLevel() == MqttQoS.EXACTLY_ONCE) {
            outbound.session.exactlyOnce.put(outbound.devicePacketId, packetId);
        }
        MqttPublishVariableHeader header = publish.variableHeader();
        channel.write(new MqttPublishMessage(publish.fixedHeader(),
                new MqttPublishVariableHeader(header.topicName(), packetId, header.properties()), publish.payload()),
                channel.voidPromise());
    }

    void pubrel(MuxedSession session, int devicePacketId) {
        Integer packetId = session.exactlyOnce.get(devicePacketId);
        if (packetId == null) { // nothing of the device's under that id: answered as a broker would
            session.session.fromUpstream(MqttReplies.relayedPubReply(MqttMessageType.PUBCOMP, devicePacketId, null));
            return;
        }
        channel.write(MqttReplies.relayedPubReply(MqttMessageType.PUBREL, packetId, null), channel.voidPromise());
    }

    /** The broker's PUBACK, PUBREC or PUBCOMP: back to the device under its id, and room for the next. */
    void acknowledged(MqttMessage answer) {
        int packetId = SessionLink.packetId(answer);
        MqttMessageType type = answer.fixedHeader().messageType();
        if (!(packetIds.get(packetId) instanceof Outbound outbound)) {
            return; // not ours (the broker is trusted; a stray answer is ignored)
        }
        int reason = SessionLink.reasonCode(answer);
        boolean flowEnds = type != MqttMessageType.PUBREC || reason >= 0x80;
        if (flowEnds) {
            packetIds.release(packetId);
            publishesInFlight--;
            outbound.session.exactlyOnce.remove(outbound.devicePacketId);
        }
        if (outbound.session.ended()) {
            if (!flowEnds) { // a will or a publish whose session has gone: the gateway finishes the flow
                channel.write(MqttReplies.relayedPubReply(MqttMessageType.PUBREL, packetId, null),
                        channel.voidPromise());
            }
        } else {
            outbound.session.session.fromUpstream(MqttReplies.relayedPubReply(type, outbound.devicePacketId, answer));
            touched.add(outbound.session);
        }
        if (flowEnds) {
            sendQueued();
        }
    }

    private void sendQueued() {
        while (!queued.isEmpty() && hasRoom()) {
            Outbound next = queued.poll();
            MqttPublishMessage publish = next.waiting;
            next.waiting = null;
            send(next, publish);
        }
        if (queued.isEmpty()) {
            roomAgain.run();
        }
    }

    /** The connection ended: what waited is dropped (its sessions end too). */
    void dropQueued() {
        queued.forEach(outbound -> outbound.waiting.release());
        queued.clear();
    }
}
