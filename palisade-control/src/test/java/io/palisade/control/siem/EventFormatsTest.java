package io.palisade.control.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventJson;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Each format read back the way a SIEM reads it: the fields come out as they went in, and text an attacker
 * controls (a message, a detail) cannot add fields or records.
 */
class EventFormatsTest {

    private static final Origin ORIGIN = new Origin("gw-1.plant", "1.2.3");
    private static final Instant TIME = Instant.parse("2026-12-03T07:30:00.123Z");
    /**
     * A message an attacker shaped: the separators of every format (control characters never reach a
     * message, {@link SecurityEvent} replaces them; details carry them in {@link #DETAILS}).
     */
    private static final String HOSTILE = "cn=evil|x\\y] \"q\" a=b c";

    private static SecurityEvent event(EventType type, Severity severity, String source, Map<String, String> details) {
        return new SecurityEvent(42, TIME, type, severity, java.util.Optional.of(DeviceId.of("dev-7")), source,
                HOSTILE, details);
    }

    private static final Map<String, String> DETAILS = Map.of("claimed_device", "dev-9", "note", "x=1\ny\\z|w\tv");

    @Test
    void cefHeaderAndExtensionRoundTrip() {
        String cef = EventFormat.CEF.formatter(ORIGIN).format(event(EventType.AUTH_FAILED, Severity.HIGH, "10.1.2.3", DETAILS));
        assertThat(cef).startsWith("CEF:0|Palisade|Palisade|1.2.3|auth.failed|").doesNotContain("\n");
        List<String> header = new ArrayList<>();
        int i = 0;
        StringBuilder field = new StringBuilder();
        while (header.size() < 7) {
            char c = cef.charAt(i++);
            if (c == '\\') {
                field.append(cef.charAt(i++));
            } else if (c == '|') {
                header.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        assertThat(header).containsExactly("CEF:0", "Palisade", "Palisade", "1.2.3", "auth.failed",
                HOSTILE, "8");
        Map<String, String> extension = cefExtension(cef.substring(i));
        assertThat(extension).containsEntry("rt", Long.toString(TIME.toEpochMilli())).containsEntry("externalId", "42")
                .containsEntry("src", "10.1.2.3").containsEntry("cs1Label", "device").containsEntry("cs1", "dev-7")
                .containsEntry("msg", HOSTILE).containsEntry("dvchost", "gw-1.plant")
                .containsEntry("cs3", "claimed_device=dev-9; note=x=1\ny\\z|w v"); // the tab: a space
    }

    @Test
    void cefNamesASourceThatIsNoAddressAsSuch() {
        String cef = EventFormat.CEF.formatter(ORIGIN).format(event(EventType.CERT_ISSUED, Severity.INFO, "control-plane", Map.of()));
        Map<String, String> extension = cefExtension(cef.substring(cef.indexOf("|1|") + 3));
        assertThat(extension).doesNotContainKey("src").containsEntry("cs2Label", "source").containsEntry("cs2", "control-plane");
    }

    /** CEF extension parser: keys are [A-Za-z0-9_]+ followed by '='; a value runs to the next " key=". */
    private static Map<String, String> cefExtension(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher key = Pattern.compile("(?:^| )([A-Za-z0-9_]+)=").matcher(text);
        List<int[]> keys = new ArrayList<>();
        while (key.find()) {
            if (key.start() > 0 && text.charAt(key.start() - 1) == '\\') {
                continue;
            }
            keys.add(new int[] {key.start(1), key.end()});
        }
        for (int k = 0; k < keys.size(); k++) {
            int end = k + 1 < keys.size() ? keys.get(k + 1)[0] - 1 : text.length();
            String raw = text.substring(keys.get(k)[1], end);
            out.put(text.substring(keys.get(k)[0], keys.get(k)[1] - 1), raw.replace("\\=", "=").replace("\\n", "\n")
                    .replace("\\r", "\r").replace("\\\\", "\\"));
        }
        return out;
    }

    @Test
    void leefDeclaresTheTabAndNoValueCarriesOne() {
        String leef = EventFormat.LEEF.formatter(ORIGIN).format(event(EventType.ACL_DENIED, Severity.MEDIUM, "10.1.2.3", DETAILS));
        assertThat(leef).startsWith("LEEF:2.0|Palisade|Palisade|1.2.3|acl.denied|x09|").doesNotContain("\n");
        String[] attributes = leef.substring("LEEF:2.0|Palisade|Palisade|1.2.3|acl.denied|x09|".length()).split("\t");
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String attribute : attributes) {
            int eq = attribute.indexOf('=');
            parsed.put(attribute.substring(0, eq), attribute.substring(eq + 1));
        }
        assertThat(parsed.keySet()).containsExactly("devTime", "sev", "cat", "eventId", "src", "device", "details", "msg");
        assertThat(parsed).containsEntry("sev", "5").containsEntry("src", "10.1.2.3").containsEntry("device", "dev-7")
                .containsEntry("msg", HOSTILE)
                .containsEntry("details", "claimed_device=dev-9; note=x=1 y\\z|w v");
    }

    @Test
    void leefEscapesAPipeInAHeaderField() {
        String leef = new LeefFormat(new Origin("h", "1|2")).format(event(EventType.AUTH_FAILED, Severity.LOW, "", Map.of()));
        assertThat(leef).startsWith("LEEF:2.0|Palisade|Palisade|1\\|2|auth.failed|x09|");
    }

    /** RFC 5424 §6 ABNF, for this shape: one SD-ELEMENT whose PARAM-VALUEs escape '"', '\' and ']'. */
    private static final Pattern SYSLOG = Pattern.compile(
            "<(\\d{1,3})>1 (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z) ([\\x21-\\x7e]{1,255}) palisade - "
                    + "([\\x21-\\x7e]{1,32}) \\[palisade@32473((?: [^= \\]\"]{1,32}=\"(?:[^\"\\\\\\]]|\\\\[\"\\\\\\]])*\")+)\\] \uFEFF(.*)",
            Pattern.DOTALL);

    @Test
    void rfc5424MatchesTheGrammarAndCarriesEveryField() {
        String line = EventFormat.RFC5424.formatter(ORIGIN).format(event(EventType.ANOMALY_DETECTED, Severity.CRITICAL,
                "10.1.2.3", Map.of("rule", "rate]\"\\", "bad key=x", "v")));
        Matcher m = SYSLOG.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isEqualTo(10 * 8 + 2);
        assertThat(m.group(2)).isEqualTo("2026-12-03T07:30:00.123Z");
        assertThat(m.group(3)).isEqualTo("gw-1.plant");
        assertThat(m.group(4)).isEqualTo("anomaly.detected");
        Map<String, String> params = new LinkedHashMap<>();
        Matcher p = Pattern.compile(" ([^= \\]\"]+)=\"((?:[^\"\\\\\\]]|\\\\[\"\\\\\\]])*)\"").matcher(m.group(5));
        while (p.find()) {
            params.put(p.group(1), p.group(2).replaceAll("\\\\([\"\\\\\\]])", "$1"));
        }
        assertThat(params).containsEntry("id", "42").containsEntry("type", "anomaly.detected")
                .containsEntry("severity", "critical").containsEntry("source", "10.1.2.3").containsEntry("device", "dev-7")
                .containsEntry("rule", "rate]\"\\").containsEntry("bad_key_x", "v");
        assertThat(m.group(6)).isEqualTo(HOSTILE);
        assertThat(line.getBytes(StandardCharsets.UTF_8)).doesNotContain((byte) '\n');
    }

    @Test
    void ocsfUsesEachTypesClassAndItsRequiredAttributes() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (EventType type : EventType.values()) {
            JsonNode node = json.readTree(EventFormat.OCSF.formatter(ORIGIN).format(event(type, Severity.HIGH, "10.1.2.3",
                    Map.of("path", "/etc/app/config.yaml"))));
            int classUid = node.path("class_uid").asInt();
            assertThat(classUid).as(type.wireName()).isEqualTo(type.ocsfClassUid());
            assertThat(node.path("category_uid").asInt()).isEqualTo(classUid / 1000);
            assertThat(node.path("type_uid").asLong()).isEqualTo(classUid * 100L + node.path("activity_id").asInt());
            assertThat(node.path("severity_id").asInt()).isEqualTo(4);
            assertThat(node.path("time").asLong()).isEqualTo(TIME.toEpochMilli());
            assertThat(node.path("metadata").path("version").asText()).isEqualTo("1.3.0");
            assertThat(node.path("metadata").path("product").path("name").asText()).isEqualTo("Palisade");
            assertThat(node.path("metadata").path("uid").asText()).isEqualTo("42");
            assertThat(node.path("src_endpoint").path("ip").asText()).isEqualTo("10.1.2.3");
            assertThat(node.path("device").path("uid").asText()).isEqualTo("dev-7");
            assertThat(node.path("message").asText()).isEqualTo(HOSTILE);
            assertThat(node.path("unmapped").path("path").asText()).isEqualTo("/etc/app/config.yaml");
        }
        assertThat(ocsf(json, EventType.AUTH_FAILED).path("status_id").asInt()).isEqualTo(2);
        assertThat(ocsf(json, EventType.AUTH_SUCCEEDED).path("status_id").asInt()).isEqualTo(1);
        assertThat(ocsf(json, EventType.ANOMALY_DETECTED).path("finding_info").path("title").asText()).isEqualTo(HOSTILE);
        assertThat(ocsf(json, EventType.AUDIT_FINDING).path("finding_info").path("title").asText()).isEqualTo(HOSTILE);
        assertThat(ocsf(json, EventType.AUDIT_FINDING).path("type_uid").asInt()).isEqualTo(200301);
        assertThat(ocsf(json, EventType.FILE_MODIFIED).path("file").path("name").asText()).isEqualTo("config.yaml");
        assertThat(ocsf(json, EventType.DEVICE_QUARANTINED).path("class_uid").asInt()).isEqualTo(5019);
        assertThat(ocsf(json, EventType.PROTOCOL_VIOLATION).path("class_uid").asInt()).isEqualTo(4001);
    }

    private static JsonNode ocsf(ObjectMapper json, EventType type) throws Exception {
        return json.readTree(EventFormat.OCSF.formatter(ORIGIN).format(event(type, Severity.HIGH, "10.1.2.3",
                Map.of("path", "/etc/app/config.yaml"))));
    }

    @Test
    void jsonIsTheApisOwn() {
        SecurityEvent event = event(EventType.AUTH_FAILED, Severity.HIGH, "10.1.2.3", DETAILS);
        assertThat(EventJson.fromJson(EventFormat.JSON.formatter(ORIGIN).format(event).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(event);
    }

    @Test
    void anUnknownFormatIsRefusedWithTheChoices() {
        assertThat(EventFormat.parse("rfc5424")).isEqualTo(EventFormat.RFC5424);
        assertThatThrownBy(() -> EventFormat.parse("xml")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown event format 'xml'; formats: cef, leef, ocsf, json, rfc5424");
    }

}
