package io.palisade.control.siem;

import io.palisade.control.service.Events;
import io.palisade.control.service.Refusal;
import io.palisade.core.event.EventStore;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.secret.SecretBytes;
import io.palisade.core.siem.SiemDestination;
import io.palisade.core.siem.SiemStore;
import io.palisade.pki.Pem;
import io.palisade.pki.TlsContexts;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * SIEM destinations, stored and live: adding one starts its delivery at once, removing one stops it. Each
 * destination's private material stays out of the database, in files (0600) under the data directory:
 * the client key a TLS receiver may ask for ({@code NAME.key.pem}) and a webhook's signing key
 * ({@code NAME.signing-key}, shown once when the destination is added).
 */
public final class SiemService implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SiemService.class.getName());
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** How long a syslog stream connection must outlive a record for the record to count as delivered. */
    public static final Duration SETTLE = StreamSyslogTransport.DEFAULT_SETTLE;
    private static final int SIGNING_KEY_BYTES = 32;

    private final SiemStore store;
    private final EventStore events;
    private final Path secrets;
    private final Origin origin;
    private final Events emitter;
    private final Clock clock;
    private final Duration settle;
    private final Map<String, SiemForwarder> running = new ConcurrentHashMap<>();
    private volatile io.palisade.core.cluster.Duty duty = io.palisade.core.cluster.Duty.ALWAYS;
    /** Told when a destination is added or removed here, for the other instances. */
    private volatile Runnable outbound = () -> { };

    /**
     * @param secrets where destinations' private keys are kept (created 0700 when missing)
     * @param settle  how long a syslog stream connection must outlive a record for it to count as delivered
     */
    public SiemService(SiemStore store, EventStore events, Path secrets, Origin origin, Events emitter, Clock clock,
                       Duration settle) {
        this.store = store;
        this.events = events;
        this.secrets = secrets;
        this.origin = origin;
        this.emitter = emitter;
        this.clock = clock;
        this.settle = settle;
    }

    /** One of several instances: deliver only while holding {@code duty}, and tell the others of changes. */
    public void shareWith(io.palisade.core.cluster.Duty duty, Runnable outbound) {
        this.duty = duty;
        this.outbound = outbound;
    }

    /**
     * Another instance added or removed a destination: starts the stored ones not running here and stops those no
     * longer stored. A destination whose key files this instance lacks is logged (copy the data directory's siem/).
     */
    public synchronized void reloadFromStore() {
        java.util.Set<String> stored = new java.util.HashSet<>();
        for (SiemDestination destination : store.list()) {
            stored.add(destination.name());
            if (!running.containsKey(destination.name())) {
                try {
                    launch(destination);
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "SIEM destination " + destination.name() + ", added on another"
                            + " instance, cannot start here: " + e.getMessage());
                }
            }
        }
        for (String name : List.copyOf(running.keySet())) {
            if (!stored.contains(name)) {
                SiemForwarder gone = running.remove(name);
                if (gone != null) {
                    gone.close();
                }
            }
        }
    }

    /** Starts delivery to every stored destination; one that cannot start (its key file gone) is logged and skipped. */
    public void start() {
        for (SiemDestination destination : store.list()) {
            try {
                launch(destination);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "SIEM destination " + destination.name() + " cannot start: "
                        + e.getMessage());
            }
        }
    }

    /** A destination just added, with its webhook signing key when it has one (shown this once). */
    public record Added(SiemDestination destination, Optional<String> signingKey) {
    }

    /** Validates, stores and starts a destination. */
    public synchronized Added add(NewDestination request, String actor) throws Refusal {
        SiemDestination destination = validate(request);
        DestinationUrl target = DestinationUrl.parse(destination.url());
        if (store.find(destination.name()).isPresent()) {
            throw new Refusal(Refusal.Kind.CONFLICT, "there is already a SIEM destination '" + destination.name()
                    + "'; remove it first");
        }
        Optional<String> signingKey = Optional.empty();
        try {
            Files.createDirectories(secrets);
            if (request.keyPem().isPresent()) {
                Path keyFile = keyFile(destination.name());
                Pem.writeSecretFile(keyFile, request.keyPem().get());
                checkKeyMatches(keyFile, destination.certPem().get());
            }
            if (target.webhook()) {
                signingKey = Optional.of(HexFormat.of().formatHex(newSigningKey()));
                Pem.writeSecretFile(signingKeyFile(destination.name()), signingKey.get() + "\n");
            }
        } catch (IOException | IllegalArgumentException e) {
            deleteSecrets(destination.name());
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
        if (!store.add(destination, request.fromStart() ? 0 : events.lastId())) {
            deleteSecrets(destination.name());
            throw new Refusal(Refusal.Kind.CONFLICT, "there is already a SIEM destination '" + destination.name() + "'");
        }
        try {
            launch(destination);
        } catch (IOException | RuntimeException e) {
            store.remove(destination.name());
            deleteSecrets(destination.name());
            throw new Refusal(Refusal.Kind.MALFORMED, "SIEM destination " + destination.name() + " cannot start: "
                    + e.getMessage());
        }
        record(actor, "add", destination, "added SIEM destination " + destination.name() + " (" + destination.url()
                + ", " + destination.format() + ")");
        outbound.run();
        return new Added(destination, signingKey);
    }

    /** Stops and forgets a destination; events not yet delivered to it are not sent. */
    public synchronized void remove(String name, String actor) throws Refusal {
        SiemDestination destination = store.find(name).orElseThrow(() -> unknown(name));
        SiemForwarder forwarder = running.remove(name);
        if (forwarder != null) {
            forwarder.close();
        }
        store.remove(name);
        deleteSecrets(name);
        record(actor, "remove", destination, "removed SIEM destination " + name + " (" + destination.url() + ")");
        outbound.run();
    }

    /** Every destination's delivery, by name. */
    public List<SiemForwarder.Status> list() {
        List<SiemForwarder.Status> statuses = new ArrayList<>();
        for (SiemDestination destination : store.list()) {
            SiemForwarder forwarder = running.get(destination.name());
            if (forwarder != null) {
                statuses.add(forwarder.status());
            }
        }
        return statuses;
    }

    /** What a test record's delivery came to. */
    public record TestResult(boolean delivered, String detail) {
    }

    /**
     * Sends one {@code admin.siem} test record over a connection of its own (the destination's cursor and queue
     * are not touched) and says how it went; the test is recorded as an event, which the destination then also
     * gets in the normal way when its filter takes it.
     */
    public TestResult test(String name, String actor) throws Refusal {
        SiemDestination destination = store.find(name).orElseThrow(() -> unknown(name));
        SecurityEvent probe = SecurityEvent.of(clock.instant(), EventType.ADMIN_SIEM, Severity.INFO, null, actor,
                "test record from Palisade to SIEM destination " + name).withDetail("action", "test")
                .withDetail("destination", name);
        TestResult result;
        try (SiemTransport transport = transport(destination, Duration.ZERO)) {
            transport.deliver(List.of(new Outgoing(0, formatter(destination).format(probe))));
            result = new TestResult(true, DestinationUrl.parse(destination.url()).webhook()
                    ? "the webhook accepted the test record"
                    : "the test record was written to " + destination.url() + " (syslog has no acknowledgement:"
                    + " look for it at the receiver)");
        } catch (IOException | RuntimeException e) {
            result = new TestResult(false, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        record(actor, "test", destination, "tested SIEM destination " + name + ": "
                + (result.delivered() ? "delivered" : "failed: " + result.detail()));
        return result;
    }

    private void record(String actor, String action, SiemDestination destination, String message) {
        emitter.emit(SecurityEvent.of(clock.instant(), EventType.ADMIN_SIEM, Severity.INFO, null, actor, message)
                .withDetails(Map.of("action", action, "destination", destination.name(), "url", destination.url(),
                        "format", destination.format(), "actor", actor)));
    }

    private void launch(SiemDestination destination) throws IOException {
        SiemForwarder forwarder = new SiemForwarder(destination, transport(destination, settle), formatter(destination),
                events, store, clock, duty);
        running.put(destination.name(), forwarder.start());
    }

    private EventFormatter formatter(SiemDestination destination) {
        EventFormat format = EventFormat.parse(destination.format());
        return DestinationUrl.parse(destination.url()).webhook() ? format.formatter(origin) : format.syslogFormatter(origin);
    }

    private SiemTransport transport(SiemDestination destination, Duration settleTime) throws IOException {
        DestinationUrl target = DestinationUrl.parse(destination.url());
        if (target.webhook()) {
            try (SecretBytes key = SecretBytes.wrap(HexFormat.of().parseHex(
                    Files.readString(signingKeyFile(destination.name())).strip()))) {
                return new WebhookTransport(target.uri(), tls(destination), SecretBytes.copyOf(key.copy()),
                        EventFormat.parse(destination.format()).isJson(), TIMEOUT, clock);
            }
        }
        SyslogAddress address = target.syslog();
        SyslogSender sender = new SyslogSender(address,
                address.transport() == SyslogAddress.Transport.TLS ? tls(destination) : null, TIMEOUT);
        return address.transport() == SyslogAddress.Transport.UDP ? new DatagramSyslogTransport(sender)
                : new StreamSyslogTransport(sender, settleTime, System::nanoTime);
    }

    private SSLContext tls(SiemDestination destination) throws IOException {
        List<X509Certificate> anchors = destination.caPem().isPresent()
                ? Pem.parseCertificates(destination.caPem().get(), "the CA of SIEM destination " + destination.name())
                : List.of();
        Optional<TlsContexts.ClientIdentity> identity = Optional.empty();
        if (destination.certPem().isPresent()) {
            identity = Optional.of(new TlsContexts.ClientIdentity(Pem.readPrivateKey(keyFile(destination.name())),
                    Pem.parseCertificates(destination.certPem().get(), "the certificate of SIEM destination "
                            + destination.name())));
        }
        return TlsContexts.outbound(anchors, identity);
    }

    private SiemDestination validate(NewDestination request) throws Refusal {
        try {
            SiemDestination.checkName(request.name());
            DestinationUrl target = DestinationUrl.parse(request.url());
            EventFormat format = EventFormat.parse(request.format());
            Severity minSeverity = request.minSeverity().map(SiemService::severity).orElse(Severity.INFO);
            Set<EventType> types = new LinkedHashSet<>();
            request.types().forEach(type -> types.add(EventType.fromWireName(type)));
            boolean tls = target.webhook() || target.syslog().transport() == SyslogAddress.Transport.TLS;
            if (!tls && (request.caPem().isPresent() || request.certPem().isPresent())) {
                throw new IllegalArgumentException("--ca, --cert and --key are for syslog+tls:// and https:// only");
            }
            if (request.certPem().isPresent() != request.keyPem().isPresent()) {
                throw new IllegalArgumentException("a client certificate needs its key and a key its certificate:"
                        + " give both --cert and --key");
            }
            if (request.caPem().isPresent() && Pem.parseCertificates(request.caPem().get(), "the --ca file").isEmpty()) {
                throw new IllegalArgumentException("the --ca file holds no certificate");
            }
            if (request.certPem().isPresent() && Pem.parseCertificates(request.certPem().get(), "the --cert file").isEmpty()) {
                throw new IllegalArgumentException("the --cert file holds no certificate");
            }
            return new SiemDestination(request.name(), request.url(), format.wireName(), minSeverity, types,
                    request.caPem(), request.certPem(), clock.instant());
        } catch (IllegalArgumentException | IOException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
    }

    private static Severity severity(String name) {
        for (Severity severity : Severity.values()) {
            if (severity.wireName().equals(name)) {
                return severity;
            }
        }
        throw new IllegalArgumentException("unknown severity '" + name + "'; severities: info, low, medium, high, critical");
    }

    /** Proves the key belongs to the certificate: a signature by one must verify with the other. */
    private static void checkKeyMatches(Path keyFile, String certPem) throws IOException {
        PrivateKey key = Pem.readPrivateKey(keyFile);
        X509Certificate certificate = Pem.parseCertificates(certPem, "the --cert file").get(0);
        try {
            String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA"
                    : key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : key.getAlgorithm();
            byte[] challenge = "palisade key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            if (!verifier.verify(signer.sign())) {
                throw new IllegalArgumentException("the --key does not belong to the --cert certificate");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the --key does not belong to the --cert certificate ("
                    + e.getMessage() + ")");
        }
    }

    private static byte[] newSigningKey() {
        byte[] key = new byte[SIGNING_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private Path keyFile(String name) {
        return secrets.resolve(name + ".key.pem");
    }

    private Path signingKeyFile(String name) {
        return secrets.resolve(name + ".signing-key");
    }

    private void deleteSecrets(String name) {
        for (Path file : List.of(keyFile(name), signingKeyFile(name))) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot delete " + file + ": " + e.getMessage());
            }
        }
    }

    private static Refusal unknown(String name) {
        return new Refusal(Refusal.Kind.NOT_FOUND, "there is no SIEM destination '" + name + "'");
    }

    @Override
    public void close() {
        running.values().forEach(SiemForwarder::close);
        running.clear();
    }
}
