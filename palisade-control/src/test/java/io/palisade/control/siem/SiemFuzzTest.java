package io.palisade.control.siem;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Fuzz targets for the SIEM side: a destination URL is parsed or refused with IllegalArgumentException, and
 * an event whose source, message and details are anything at all still makes exactly one record per format,
 * with no line break to start a forged record. Saved inputs replay in normal runs;
 * {@code JAZZER_FUZZ=1 mvn -pl palisade-control test -Dtest=SiemFuzzTest} fuzzes.
 */
class SiemFuzzTest {

    private static final Origin ORIGIN = new Origin("gw", "1");

    @FuzzTest(maxDuration = "60s")
    void aSyslogUrlIsParsedOrRefusedWithAReason(String url) {
        try {
            SyslogAddress address = SyslogAddress.parse(url);
            assertThat(address.port()).isBetween(0, 65535);
            assertThat(address.host()).isNotEmpty();
        } catch (IllegalArgumentException expected) {
            // a clear refusal is the correct outcome for a bad URL
        }
    }

    @FuzzTest(maxDuration = "60s")
    void aDestinationUrlIsParsedOrRefusedWithAReason(String url) {
        try {
            DestinationUrl parsed = DestinationUrl.parse(url);
            assertThat(parsed.webhook() ? parsed.uri().getHost() : parsed.syslog().host()).isNotEmpty();
            assertThat(parsed.webhook()).isNotEqualTo(parsed.syslogAddress().isPresent());
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @FuzzTest(maxDuration = "60s")
    void anyEventMakesOneRecordPerFormat(FuzzedDataProvider data) {
        EventType type = data.pickValue(EventType.values());
        Severity severity = data.pickValue(Severity.values());
        String source = data.consumeString(64);
        String key = data.consumeString(40);
        String value = data.consumeString(200);
        String message = data.consumeRemainingAsString();
        SecurityEvent event = new SecurityEvent(7, Instant.EPOCH, type, severity, Optional.of(DeviceId.of("dev-1")),
                source, message, key.isEmpty() ? Map.of() : Map.of(key, value));
        for (EventFormat format : EventFormat.values()) {
            String record = format.formatter(ORIGIN).format(event);
            assertThat(record).as(format.wireName()).doesNotContain("\n", "\r");
            String overSyslog = format.syslogFormatter(ORIGIN).format(event);
            assertThat(overSyslog).as(format.wireName() + " over syslog").doesNotContain("\n", "\r")
                    .contains("[palisade@32473 id=\"7\"");
        }
        assertThat(EventFormat.CEF.formatter(ORIGIN).format(event)).startsWith("CEF:0|Palisade|Palisade|1|" + type.wireName() + "|");
        assertThat(EventFormat.RFC5424.formatter(ORIGIN).format(event)).startsWith("<" + (80 + SyslogFormat.severity(severity)) + ">1 ");
    }
}
