package io.palisade.control.siem;

/** One record on its way to a destination, with the id of the stored event it carries. */
public record Outgoing(long eventId, String record) {
}
