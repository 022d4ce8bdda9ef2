package io.palisade.gateway;

import java.util.HashSet;
import java.util.Set;

/**
 * The packet-id state of one device session, in both directions, and nothing else: which QoS 1/2
 * publishes of the device the broker has not finished, which QoS 2 flows the gateway ended itself, and
 * which QoS 2 deliveries of the broker the gateway withheld from the device.
 *
 * <p>The rules it keeps (MQTT 3.1.1 §4.3, MQTT 5 §4.3 and §4.9):
 * <ul>
 *   <li>a device publish counts against the in-flight limit (MQTT 5 Receive Maximum) from PUBLISH until
 *       PUBACK (QoS 1) or PUBCOMP (QoS 2), or until a PUBREC with a reason code of 0x80 or more, which
 *       ends a QoS 2 flow at once;</li>
 *   <li>a PUBLISH that reuses the id of an unfinished flow is a retransmission when it carries the DUP
 *       flag (forwarded, not counted twice) and a protocol error otherwise;</li>
 *   <li>a QoS 2 publish the gateway refused gets its PUBREL answered by the gateway (3.1.1 clients go on
 *       with PUBREL after any PUBREC; so do some MQTT 5 clients despite the error); once the device
 *       reuses that id for a new publish, the old flow is over and the new one belongs to the broker;</li>
 *   <li>a QoS 2 delivery the gateway withheld from the device is completed with the broker by the gateway.</li>
 * </ul>
 *
 * <p>Confined to the session's event loop: not thread-safe, no Netty types.
 */
final class QosFlows {

    /** What to do with a QoS 1/2 PUBLISH from the device. */
    enum Start { FORWARD, OVER_LIMIT, ID_IN_USE }

    /** Reason codes at or above this value are failures (MQTT 5 §2.4). */
    private static final int FAILURE = 0x80;

    private int maxInflight;
    private final Set<Integer> inflight = new HashSet<>();
    private final Set<Integer> refusedQos2 = new HashSet<>();
    private final Set<Integer> withheldQos2 = new HashSet<>();

    QosFlows(int maxInflight) {
        this.maxInflight = maxInflight;
    }

    /** A QoS 1/2 PUBLISH from the device that policy let through. */
    Start publishFromDevice(int packetId, boolean duplicate) {
        refusedQos2.remove(packetId);
        if (inflight.contains(packetId)) {
            return duplicate ? Start.FORWARD : Start.ID_IN_USE;
        }
        if (inflight.size() >= maxInflight) {
            return Start.OVER_LIMIT;
        }
        inflight.add(packetId);
        return Start.FORWARD;
    }

    /** A QoS 1/2 PUBLISH from the device that the gateway refused (it answers PUBACK/PUBREC itself). */
    void refusedByGateway(int packetId, int qos) {
        if (qos == 2) {
            refusedQos2.add(packetId);
        } else {
            refusedQos2.remove(packetId);
        }
    }

    /** Whether a PUBREL from the device belongs to a flow the gateway ended (answer PUBCOMP here). */
    boolean pubrelAnsweredByGateway(int packetId) {
        return refusedQos2.remove(packetId);
    }

    /** PUBACK from the broker: the QoS 1 flow is over, whatever its reason code. */
    void pubAckFromBroker(int packetId) {
        inflight.remove(packetId);
    }

    /** PUBREC from the broker: a failure code ends the QoS 2 flow; success waits for PUBCOMP. */
    void pubRecFromBroker(int packetId, int reasonCode) {
        if ((reasonCode & 0xFF) >= FAILURE) {
            inflight.remove(packetId);
        }
    }

    /** PUBCOMP from the broker: the QoS 2 flow is over. */
    void pubCompFromBroker(int packetId) {
        inflight.remove(packetId);
    }

    /** A QoS 2 delivery of the broker withheld from the device: the gateway completes it (PUBREC sent). */
    void withheldFromDevice(int packetId) {
        withheldQos2.add(packetId);
    }

    /** Whether a PUBREL from the broker belongs to a withheld delivery (answer PUBCOMP upstream here). */
    boolean pubrelOfWithheld(int packetId) {
        return withheldQos2.remove(packetId);
    }

    /** A QoS 2 delivery with this id now reaches the device: an earlier withheld flow of that id is over. */
    void deliveredToDevice(int packetId) {
        withheldQos2.remove(packetId);
    }

    /** The in-flight limit once the session is up (MQTT 5: the Receive Maximum the device was told). */
    void limit(int receiveMaximum) {
        this.maxInflight = receiveMaximum;
    }

    int inflight() {
        return inflight.size();
    }

    int maxInflight() {
        return maxInflight;
    }
}
