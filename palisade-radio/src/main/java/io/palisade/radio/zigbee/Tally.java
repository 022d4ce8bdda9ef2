package io.palisade.radio.zigbee;

import io.palisade.core.radio.IngestReport;
import java.util.Map;
import java.util.TreeMap;

/** Adds up what an ingest did with its frames, for its {@link IngestReport}. */
final class Tally {
    int frames;
    int forwarded;
    int ignored;
    int refused;
    int overQuota;
    int brokerUnavailable;
    private final Map<String, Integer> findings = new TreeMap<>();

    void finding(RadioFinding finding) {
        findings.merge(finding.wireName(), 1, Integer::sum);
    }

    IngestReport report() {
        return new IngestReport(frames, forwarded, ignored, findings, refused, overQuota, brokerUnavailable, 0);
    }
}
