package io.palisade.core.radio;

import java.io.InputStream;

/**
 * Verifies and forwards the 802.15.4 frames of a capture file (classic pcap, link type 195 or 230), as the REST API
 * receives one; the running radio ingest implements it.
 */
@FunctionalInterface
public interface CaptureIngest {

    /** @throws IllegalArgumentException naming why the file is not a usable capture */
    IngestReport ingest(InputStream capture, String feed);
}
