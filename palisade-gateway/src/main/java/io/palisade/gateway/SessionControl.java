package io.palisade.gateway;

import io.netty.handler.codec.mqtt.MqttMessage;

/** What a stage of a device session may ask of the session that runs it: pause, or end it. */
interface SessionControl {

    /** Stops reading from the device for {@code pauseNanos} (its quota), if positive. */
    void pauseReading(long pauseNanos);

    /** Stops reading from the device until its QoS 0 lane has room again. */
    void laneFull();

    /** A protocol violation: an event, then DISCONNECT with {@code reasonCode} (MQTT 5) and close. */
    void violation(byte reasonCode, String what);

    /** Ends both connections; MQTT 5 devices first get {@code lastWord}. */
    void close(MqttMessage lastWord);
}
