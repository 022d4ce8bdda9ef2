package io.palisade.radio.llrp;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/** What an RO_ACCESS_REPORT says of one tag: its EPC (hex), and where known the antenna and when it was first seen. */
public record TagReportData(String epcHex, OptionalInt antenna, Optional<Instant> firstSeen) {
}
