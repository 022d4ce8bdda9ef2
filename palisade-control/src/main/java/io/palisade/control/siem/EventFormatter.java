package io.palisade.control.siem;

import io.palisade.core.event.SecurityEvent;

/** Turns one security event into one record of a SIEM format (no line terminator, no transport framing). */
@FunctionalInterface
public interface EventFormatter {

    String format(SecurityEvent event);
}
