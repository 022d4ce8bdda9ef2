package io.palisade.control.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.pki.Pem;
import io.palisade.pki.TlsPolicy;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 5424 records over TLS (RFC 5425 framing) to a real rsyslog ({@code imtcp} with the GnuTLS stream
 * driver), which parses each with its own RFC 5424 parser and writes the fields it found.
 */
class RsyslogTlsIT {

    @TempDir
    Path dir;
    private RsyslogReceiver rsyslog;

    @AfterEach
    void stop() throws InterruptedException {
        if (rsyslog != null) {
            rsyslog.close();
        }
    }

    @Test
    void everyEventTypeArrivesAndParsesAsSent() throws Exception {
        int port = startRsyslog("subjectAltName=DNS:localhost");
        List<SecurityEvent> sent = new ArrayList<>();
        EventFormatter syslog = EventFormat.RFC5424.formatter(new Origin("gw-1", "1.0"));
        long id = 1;
        for (EventType type : EventType.values()) {
            sent.add(new SecurityEvent(id++, Instant.parse("2026-12-03T07:30:00.123Z"), type, Severity.MEDIUM,
                    Optional.of(DeviceId.of("dev-" + id)), "10.0.0." + id, "event of type " + type.wireName()
                    + " with ] \" \\ and ü", Map.of("reason", "a]b\"c\\d")));
        }
        try (SyslogSender sender = new SyslogSender(SyslogAddress.parse("syslog+tls://localhost:" + port), trust(), Duration.ofSeconds(5))) {
            sender.send(sent.stream().map(syslog::format).toList());
        }
        List<String> received = awaitLines(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            SecurityEvent event = sent.get(i);
            String[] fields = received.get(i).split("\t", -1);
            assertThat(fields[0]).as("MSGID").isEqualTo(event.type().wireName());
            assertThat(fields[1]).as("structured data").startsWith("[palisade@32473 id=\"" + event.id() + "\"")
                    .contains("device=\"" + event.device().get().value() + "\"", "reason=\"a\\]b\\\"c\\\\d\"");
            assertThat(fields[2].replace("\uFEFF", "")).as("message").isEqualTo(event.message());
            assertThat(fields[3]).as("severity").isEqualTo("warning");
            assertThat(fields[4]).as("facility").isEqualTo("authpriv");
        }
    }

    @Test
    void aReceiverWhoseCertificateNamesAnotherHostIsRefused() throws Exception {
        int port = startRsyslog("subjectAltName=DNS:elsewhere.example");
        try (SyslogSender sender = new SyslogSender(SyslogAddress.parse("syslog+tls://localhost:" + port), trust(), Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> sender.send(List.of("<14>1 - - - - - - x"))).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void udpCutsALongRecordAtACharacterBoundary() throws Exception {
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             SyslogSender sender = new SyslogSender(SyslogAddress.parse("syslog+udp://127.0.0.1:" + receiver.getLocalPort()),
                     null, Duration.ofSeconds(5))) {
            receiver.setSoTimeout(5000);
            String record = "<14>1 - - - - - - " + "ü".repeat(3000);
            sender.send(List.of(record, "<14>1 - - - - - - short"));
            byte[] buffer = new byte[65536];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            receiver.receive(packet);
            assertThat(packet.getLength()).isLessThanOrEqualTo(SyslogSender.MAX_DATAGRAM);
            String cut = new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8);
            assertThat(record).startsWith(cut);
            receiver.receive(packet);
            assertThat(new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8)).isEqualTo("<14>1 - - - - - - short");
            assertThat(sender.truncated()).isEqualTo(1);
        }
    }

    @Test
    void urlsAreCheckedWithAReason() {
        assertThat(SyslogAddress.parse("syslog+tls://siem.example")).isEqualTo(
                new SyslogAddress(SyslogAddress.Transport.TLS, "siem.example", 6514));
        assertThat(SyslogAddress.parse("syslog+udp://[::1]:5514").host()).isEqualTo("::1");
        assertThatThrownBy(() -> SyslogAddress.parse("http://siem.example")).hasMessageContaining("unknown syslog scheme");
        assertThatThrownBy(() -> SyslogAddress.parse("syslog+tcp:///x")).hasMessageContaining("no host");
        assertThatThrownBy(() -> SyslogAddress.parse("syslog+tcp://h:1/path")).hasMessageContaining("only scheme://HOST:PORT");
    }

    private SSLContext trust() throws Exception {
        return TlsPolicy.clientContext(Pem.readCertificates(rsyslog.file("ca.pem")));
    }

    private int startRsyslog(String san) throws Exception {
        rsyslog = RsyslogReceiver.start(dir, san, false);
        return rsyslog.port();
    }

    private List<String> awaitLines(int count) throws Exception {
        return rsyslog.await(lines -> lines.size() >= count, 10, count + " records");
    }
}
