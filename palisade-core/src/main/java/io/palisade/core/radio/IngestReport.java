package io.palisade.core.radio;

import java.util.Map;

/**
 * What ingesting radio frames did: frames read, forwarded to devices' topics, ignored (nothing to forward, nothing
 * wrong), findings by kind, verified frames that went nowhere (refused by policy, over quota, broker unreachable), and
 * frames dropped before verification because their FCS did not match.
 */
public record IngestReport(int frames, int forwarded, int ignored, Map<String, Integer> findings, int refused,
                           int overQuota, int brokerUnavailable, int badFcs) {

    public static final IngestReport NONE = new IngestReport(0, 0, 0, Map.of(), 0, 0, 0, 0);

    public IngestReport {
        findings = Map.copyOf(findings);
    }

    public IngestReport plus(IngestReport other) {
        Map<String, Integer> merged = new java.util.TreeMap<>(findings);
        other.findings.forEach((k, v) -> merged.merge(k, v, Integer::sum));
        return new IngestReport(frames + other.frames, forwarded + other.forwarded, ignored + other.ignored, merged,
                refused + other.refused, overQuota + other.overQuota, brokerUnavailable + other.brokerUnavailable,
                badFcs + other.badFcs);
    }

    public IngestReport withBadFcs(int count) {
        return new IngestReport(frames + count, forwarded, ignored, findings, refused, overQuota, brokerUnavailable,
                badFcs + count);
    }
}
