package io.palisade.gateway;

import io.netty.handler.codec.mqtt.MqttMessage;

/**
 * The broker end of one device session, as the session's stages use it: either the session's own
 * connection ({@link OwnBrokerConnection}) or its place on a connection shared by all sessions of an
 * event loop ({@link MuxedSession}, {@code --upstream ...?mux=1}). All methods run on the session's loop.
 */
interface BrokerSide {

    /** Sends a packet of the device's (PUBLISH, acknowledgements, SUBSCRIBE, PINGREQ...) towards the broker. */
    void write(Object message);

    /** What was written may leave now (the end of a read batch). */
    void flush();

    /** Whether the broker side takes more now; when it does not, the session stops reading its device. */
    boolean isWritable();

    /** Whether what the broker sends for this session may be read now (false while the device cannot take it). */
    void readFromBroker(boolean read);

    /**
     * Ends the broker side once, after everything written before: {@code lastPacket} is the device's DISCONNECT
     * (its will is then discarded, unless the DISCONNECT asks for it) or null for an end without one (the will is
     * published).
     */
    void end(MqttMessage lastPacket);
}
