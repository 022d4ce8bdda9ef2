package io.palisade.core.event;

/** Where stages send their events. Implementations must not throw back into the caller's data path. */
@FunctionalInterface
public interface EventSink {

    void emit(SecurityEvent event);
}
