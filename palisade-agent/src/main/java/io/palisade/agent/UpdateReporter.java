package io.palisade.agent;

import io.palisade.core.event.EventType;

/**
 * Where the agent reports update progress; the gateway delivery (MQTT, quarantine channel) implements
 * it later, tests record it. Types are the event types the control plane stores.
 */
@FunctionalInterface
public interface UpdateReporter {

    void report(EventType type, String target, String message);
}
