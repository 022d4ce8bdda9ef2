package io.palisade.control.siem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.palisade.control.service.Events;
import io.palisade.control.service.Refusal;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.pki.Pem;
import io.palisade.store.Database;
import io.palisade.store.SqlEventStore;
import io.palisade.store.SqlSiemStore;
import io.palisade.store.StoreUrl;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIEM destinations end to end, on a real SQLite store: events stored by Palisade reach a real rsyslog over
 * TLS with a client certificate, and an HTTPS webhook, each exactly as stored, at least once and in order,
 * through a receiver killed and restarted mid-stream and through a restart of Palisade's own delivery.
 */
class SiemDeliveryIT {

    private static final Pattern ID = Pattern.compile("\\[palisade@32473 id=\"(\\d+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Database database;
    private SqlEventStore events;
    private SqlSiemStore destinations;
    private SiemService siem;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void open() {
        database = Database.open(StoreUrl.sqlite(dir.resolve("palisade.db")));
        events = new SqlEventStore(database);
        destinations = new SqlSiemStore(database);
        siem = service();
    }

    private SiemService service() {
        return new SiemService(destinations, events, dir.resolve("siem"), new Origin("gw-test", "1.0"),
                new Events(events, Clock.systemUTC()), Clock.systemUTC(), SiemService.SETTLE);
    }

    @AfterEach
    void close() throws Exception {
        siem.close();
        for (AutoCloseable resource : closing) {
            resource.close();
        }
        database.close();
    }

    private SecurityEvent store(int i) {
        EventType type = EventType.values()[i % EventType.values().length];
        return events.append(SecurityEvent.of(java.time.Instant.now(), type, Severity.values()[i % 5],
                DeviceId.of("dev-" + i), "10.0.0." + (i % 250), "event " + i + " of type " + type.wireName()));
    }

    @Test
    void every_event_reaches_rsyslog_over_tls_with_a_client_certificate_through_a_kill_and_restart() throws Exception {
        Path receiverDir = Files.createDirectories(dir.resolve("rsyslog"));
        RsyslogReceiver rsyslog = RsyslogReceiver.start(receiverDir, "subjectAltName=DNS:localhost", true);
        closing.add(rsyslog);
        siem.add(new NewDestination("soc", "syslog+tls://localhost:" + rsyslog.port(), "rfc5424", Optional.empty(),
                List.of(), Optional.of(Files.readString(rsyslog.file("ca.pem"))),
                Optional.of(Files.readString(rsyslog.file("client-cert.pem"))),
                Optional.of(Files.readString(rsyslog.file("client-key.pem"))), false), "admin@test");

        Map<Long, SecurityEvent> stored = Collections.synchronizedMap(new TreeMap<>());
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 600; i++) {
                SecurityEvent event = store(i);
                stored.put(event.id(), event);
                sleep(5);
            }
        });
        writer.start();
        Thread.sleep(1000);
        rsyslog.kill(); // mid-stream: what sat in its buffers is gone
        int beforeKill = rsyslog.lines().size();
        Thread.sleep(1500);
        rsyslog.launch();
        writer.join();
        events.query(io.palisade.core.event.EventQuery.all()).forEach(e -> stored.put(e.id(), e)); // admin.siem too

        List<String> lines = rsyslog.await(received -> ids(received).containsAll(stored.keySet()), 60,
                "all " + stored.size() + " events");
        assertThat(beforeKill).as("the kill came mid-stream").isBetween(1, stored.size() - 1);
        for (String line : lines) {
            String[] fields = line.split("\t", -1);
            Matcher id = ID.matcher(line);
            if (fields.length == 5 && id.find()) { // a line the kill cut short is skipped; its record came again
                SecurityEvent event = stored.get(Long.parseLong(id.group(1)));
                assertThat(fields[0]).as("MSGID of event " + event.id()).isEqualTo(event.type().wireName());
                assertThat(fields[2].replace("\uFEFF", "")).isEqualTo(event.message());
            }
        }
        assertThat(EventType.values()).allSatisfy(type -> assertThat(lines).anySatisfy(line ->
                assertThat(line).startsWith(type.wireName() + "\t")));
        long last = Collections.max(stored.keySet());
        awaitStatus(status -> status.cursor() >= last && status.backlog() == 0 && status.unconfirmed() == 0);
        assertThat(siem.list()).singleElement().satisfies(status -> assertThat(status.failures()).isPositive());
    }

    @Test
    void a_webhook_gets_signed_batches_in_order_through_refusals_and_a_restart_of_delivery() throws Exception {
        Path receiverDir = Files.createDirectories(dir.resolve("webhook"));
        Webhook webhook = new Webhook(receiverDir);
        closing.add(webhook);
        webhook.failNext.set(2); // the receiver refuses the first two posts: delivery retries with back-off
        SiemService.Added added = siem.add(new NewDestination("hook", "https://localhost:" + webhook.port() + "/events",
                "ocsf", Optional.of("medium"), List.of(), Optional.of(Files.readString(receiverDir.resolve("ca.pem"))),
                Optional.empty(), Optional.empty(), true), "admin@test");
        assertThat(added.signingKey()).hasValueSatisfying(key -> assertThat(key).hasSize(64));
        webhook.key = HexFormat.of().parseHex(added.signingKey().get());
        List<SecurityEvent> wanted = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            SecurityEvent event = store(i);
            if (event.severity().compareTo(Severity.MEDIUM) >= 0) {
                wanted.add(event);
            }
        }
        awaitReceived(webhook, wanted.subList(0, 10));
        siem.close(); // Palisade stops; events stored meanwhile wait in the store
        for (int i = 40; i < 80; i++) {
            SecurityEvent event = store(i);
            if (event.severity().compareTo(Severity.MEDIUM) >= 0) {
                wanted.add(event);
            }
        }
        siem = service();
        siem.start();
        awaitReceived(webhook, wanted);
        List<Long> order = webhook.ids();
        assertThat(order).as("in order, a repeat only of a whole refused or unconfirmed batch").isSorted();
        assertThat(webhook.badSignatures.get()).isZero();
        assertThat(webhook.refused.get()).isEqualTo(2);
        assertThat(webhook.received).allSatisfy(event -> {
            assertThat(event.path("class_uid").asInt()).isPositive();
            assertThat(event.path("severity_id").asInt()).isGreaterThanOrEqualTo(3); // medium and above
        });
    }

    @Test
    void a_bad_destination_is_refused_with_the_reason_and_nothing_is_stored() throws Exception {
        assertRefused(destination("a", "http://siem.example/x", "cef"), "unknown SIEM URL");
        assertRefused(destination("a", "syslog+tls://siem.example", "xml"), "unknown event format 'xml'");
        assertRefused(destination("bad name", "syslog+tls://siem.example", "cef"), "destination name");
        assertRefused(new NewDestination("a", "syslog+tls://h:1", "cef", Optional.of("urgent"), List.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), false), "unknown severity 'urgent'");
        assertRefused(new NewDestination("a", "syslog+tls://h:1", "cef", Optional.empty(), List.of("acl.denyed"),
                Optional.empty(), Optional.empty(), Optional.empty(), false), "unknown event type 'acl.denyed'");
        assertRefused(new NewDestination("a", "syslog+udp://h:1", "cef", Optional.empty(), List.of(),
                Optional.of("x"), Optional.empty(), Optional.empty(), false), "for syslog+tls:// and https:// only");
        Path receiverDir = Files.createDirectories(dir.resolve("certs"));
        RsyslogReceiver rsyslog = RsyslogReceiver.start(receiverDir, "subjectAltName=DNS:localhost", false);
        closing.add(rsyslog);
        assertRefused(new NewDestination("a", "syslog+tls://localhost:1", "cef", Optional.empty(), List.of(),
                Optional.empty(), Optional.of(Files.readString(rsyslog.file("client-cert.pem"))), Optional.empty(),
                false), "give both --cert and --key");
        assertRefused(new NewDestination("a", "syslog+tls://localhost:1", "cef", Optional.empty(), List.of(),
                Optional.empty(), Optional.of(Files.readString(rsyslog.file("client-cert.pem"))),
                Optional.of(Files.readString(rsyslog.file("server-key.pem"))), false), "does not belong to the --cert");
        assertThat(destinations.list()).isEmpty();
        assertThat(dir.resolve("siem").resolve("a.key.pem")).doesNotExist();

        siem.add(destination("a", "syslog+tls://localhost:" + rsyslog.port(), "cef"), "admin@test");
        assertThatThrownBy(() -> siem.add(destination("a", "syslog+tcp://localhost:1", "cef"), "admin@test"))
                .isInstanceOf(Refusal.class).hasMessageContaining("already a SIEM destination 'a'");
        assertThat(siem.test("a", "admin@test").delivered()).as("the receiver's CA is not trusted").isFalse();
        assertThatThrownBy(() -> siem.remove("nope", "admin@test")).isInstanceOf(Refusal.class)
                .hasMessageContaining("no SIEM destination 'nope'");
        siem.remove("a", "admin@test");
        assertThat(destinations.list()).isEmpty();
        assertThat(events.query(io.palisade.core.event.EventQuery.all())).filteredOn(e -> e.type() == EventType.ADMIN_SIEM)
                .extracting(e -> e.details().get("action")).containsExactly("add", "test", "remove");
    }

    private static NewDestination destination(String name, String url, String format) {
        return new NewDestination(name, url, format, Optional.empty(), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), false);
    }

    private void assertRefused(NewDestination request, String reason) {
        assertThatThrownBy(() -> siem.add(request, "admin@test")).isInstanceOf(Refusal.class)
                .hasMessageContaining(reason);
    }

    private void awaitStatus(java.util.function.Predicate<SiemForwarder.Status> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!siem.list().stream().allMatch(done)) {
            assertThat(System.nanoTime()).as("delivery state: " + siem.list()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void awaitReceived(Webhook webhook, List<SecurityEvent> wanted) throws InterruptedException {
        Set<Long> ids = new TreeSet<>();
        wanted.forEach(e -> ids.add(e.id()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!new TreeSet<>(webhook.ids()).containsAll(ids)) {
            assertThat(System.nanoTime()).as("webhook received " + webhook.ids() + ", wanted " + ids).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static Set<Long> ids(List<String> lines) {
        Set<Long> ids = new TreeSet<>();
        for (String line : lines) {
            Matcher matcher = ID.matcher(line);
            while (matcher.find()) {
                ids.add(Long.parseLong(matcher.group(1)));
            }
        }
        return ids;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An HTTPS receiver (the JDK's server, a certificate from a test CA) that checks each batch's signature. */
    private static final class Webhook implements AutoCloseable {
        final AtomicInteger failNext = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger badSignatures = new AtomicInteger();
        final List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());
        volatile byte[] key;
        private final HttpsServer server;

        Webhook(Path dir) throws Exception {
            RsyslogReceiver.certificates(dir, "subjectAltName=DNS:localhost");
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", Pem.readPrivateKey(dir.resolve("server-key.pem")), new char[0],
                    Pem.readCertificates(dir.resolve("server-cert.pem")).toArray(java.security.cert.X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            server.createContext("/events", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String timestamp = exchange.getRequestHeaders().getFirst("X-Palisade-Timestamp");
                String signature = exchange.getRequestHeaders().getFirst("X-Palisade-Signature");
                String expected = "sha256=" + WebhookTransport.signature(key, timestamp, body);
                int status;
                if (!expected.equals(signature)) {
                    badSignatures.incrementAndGet();
                    status = 401;
                } else if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    refused.incrementAndGet();
                    status = 503;
                } else {
                    JSON.readTree(body).path("events").forEach(received::add);
                    status = 204;
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        List<Long> ids() {
            synchronized (received) {
                return received.stream().map(e -> e.path("metadata").path("uid").asLong()).toList();
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
