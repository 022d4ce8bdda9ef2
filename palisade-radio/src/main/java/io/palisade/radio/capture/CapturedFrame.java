package io.palisade.radio.capture;

import java.time.Instant;

/**
 * One 802.15.4 frame as a capture or feed delivered it: when, from which sniffer or coordinator ({@code feed}: the
 * file name, or the UDP sender with ZEP's device id), and the frame without FCS.
 */
public record CapturedFrame(Instant time, String feed, byte[] frame) {
}
