package io.palisade.control;

import io.palisade.control.service.BehaviourHandover;
import io.palisade.control.service.AdminToken;
import io.palisade.control.http.AdminTokenRoutes;
import io.palisade.control.http.EvaluationRoutes;
import io.palisade.control.http.DeviceRetirementRoutes;
import io.palisade.control.service.DeviceRetirement;

import io.netty.handler.ssl.SslContext;
import io.palisade.control.http.AdminApiRoutes;
import io.palisade.control.http.AdminAuthenticator;
import io.palisade.control.http.DetectionRoutes;
import io.palisade.control.http.DeviceCommandRoutes;
import io.palisade.control.http.EstRoutes;
import io.palisade.control.http.HealthRoutes;
import io.palisade.control.service.ClusterSync;
import io.palisade.core.cluster.Duty;
import io.palisade.core.cluster.StateChannel;
import io.palisade.store.DutyLease;
import io.palisade.control.http.HttpsServer;
import io.palisade.control.http.IntegrityRoutes;
import io.palisade.control.http.JsonBodies;
import io.palisade.control.http.PkiRoutes;
import io.palisade.control.http.PolicyRoutes;
import io.palisade.control.http.RolloutRoutes;
import io.palisade.control.http.Router;
import io.palisade.control.http.ServerTls;
import io.palisade.control.http.TufRoutes;
import io.palisade.control.service.CrlService;
import io.palisade.control.service.SupersededCertificates;
import io.palisade.control.service.DeviceService;
import io.palisade.control.service.EnrollmentService;
import io.palisade.control.service.Events;
import io.palisade.control.service.FailureLimiter;
import io.palisade.control.service.DetectionResponder;
import io.palisade.control.service.DetectionService;
import io.palisade.control.service.DetectorTap;
import io.palisade.control.service.DeviceCommands;
import io.palisade.control.service.FirmwareReports;
import io.palisade.control.service.IntegrityReports;
import io.palisade.control.service.TamperReports;
import io.palisade.control.service.AttestationService;
import io.palisade.control.service.FirewallReports;
import io.palisade.store.SqlAttestationStore;
import io.palisade.pki.tamper.TamperReportCheck;
import io.palisade.control.service.PolicyService;
import io.palisade.control.service.RepositoryTargets;
import io.palisade.control.service.RolloutService;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.event.EventBudget;
import io.palisade.core.event.EventSpool;
import io.palisade.core.event.SpoolingEventWriter;
import io.palisade.core.event.EventBus;
import io.palisade.core.event.EventRecorder;
import io.palisade.core.event.EventStore;
import io.palisade.core.fleet.FleetChannel;
import io.palisade.core.policy.PolicyBook;
import io.palisade.core.secret.OneTimeTokens;
import io.palisade.core.secret.SecretBytes;
import io.palisade.pki.ca.CaDirectory;
import io.palisade.pki.ca.CertificateAuthority;
import io.palisade.pki.ca.DeviceCertificateProfile;
import io.palisade.store.Database;
import io.palisade.detect.DetectionConfig;
import io.palisade.detect.Detector;
import io.palisade.detect.DeviceScope;
import io.palisade.store.SqlDetectionStore;
import io.palisade.store.SqlDeviceRegistry;
import io.palisade.store.SqlEventStore;
import io.palisade.store.SqlPolicyStore;
import io.palisade.store.SqlSiemStore;
import io.palisade.control.http.SiemRoutes;
import io.palisade.control.http.AuditRoutes;
import io.palisade.control.http.OperatorRoutes;
import io.palisade.control.http.OpenApiRoutes;
import io.palisade.control.operator.OperatorService;
import io.palisade.control.operator.PasswordHasher;
import io.palisade.store.SqlOperatorStore;
import io.palisade.control.http.MetricsRoutes;
import io.palisade.control.metrics.PalisadeMetrics;
import io.palisade.control.service.AuditService;
import io.palisade.control.service.AuditChecks;
import io.palisade.control.siem.Origin;
import io.palisade.control.siem.SiemService;
import io.palisade.store.SqlRolloutStore;
import io.palisade.store.StoreUrl;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.Optional;

/**
 * The running control plane: store, CA, services and the HTTPS listener, wired from a
 * {@link ControlPlaneConfig}. First start creates the CA, server certificate and admin token in the
 * data directory; later starts reuse them.
 */
public final class ControlPlane implements AutoCloseable {

    private final Database database;
    private final CertificateAuthority ca;
    private final DeviceService devices;
    private final EventStore events;
    private final HttpsServer server;
    private final AdminToken adminToken;
    private final DeviceRegistry registry;
    private final ServerIdentity identity;
    private final PolicyBook policies;
    private final EventBus bus;
    private final EventRecorder recorder;
    private final SiemService siem;
    private final Router router;
    private final PalisadeMetrics metrics;
    private static final System.Logger LOG = System.getLogger(ControlPlane.class.getName());
    /** How often what detection learned is written to the data directory (and at every stop). */
    private static final long DETECTION_CHECKPOINT_MINUTES = 10;
    /** How often roll-out wave deadlines are checked (the shortest deadline allowed is 10 s). */
    private static final long ROLLOUT_DEADLINE_CHECK_SECONDS = 5;
    /** When the scheduled audit checks first run after a start, and how often after that. */
    private static final long AUDIT_CHECKS_FIRST_MINUTES = 5;
    private static final long AUDIT_CHECKS_EVERY_MINUTES = 60;
    /** How often superseded certificates are looked for. */
    private static final long SWEEP_SECONDS = 60;
    /** How often proposal writes the store refused during an outage are tried again. */
    private static final long PROPOSAL_RETRY_SECONDS = 10;
    /** Periodic housekeeping (superseded certificates) on a daemon thread of its own. */
    private final java.util.concurrent.ScheduledExecutorService sweeps =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "palisade-sweeps");
                thread.setDaemon(true);
                return thread;
            });
    private final String commandKeyPem;
    private final Optional<DetectionService> detection;
    /** Where detection's learned state is written at every stop. */
    private final java.nio.file.Path checkpointFile;
    private Optional<BehaviourHandover> handover = Optional.empty();
    private final InstanceLock instanceLock;
    private final java.util.concurrent.atomic.AtomicReference<io.palisade.core.device.DeviceConnections> connections;
    private final SpoolingEventWriter eventWriter;
    /** Set once in {@link #start}, after construction: the Modbus firewall the API's rules feed. */
    private io.palisade.core.modbus.ModbusFirewall modbusFirewall;
    /** Set once in {@link #start}: devices' pre-shared keys, which the CoAP listener asks for. */
    private io.palisade.control.service.PskService psks;
    private io.palisade.control.service.ZigbeeService zigbee;
    private io.palisade.control.service.TagSightings tagSightings;
    private io.palisade.control.service.RpkService rpks;
    private java.util.concurrent.atomic.AtomicReference<io.palisade.core.radio.CaptureIngest> zigbeeCaptures;
    /** Set once in {@link #start}: where the API finds the Modbus listeners' address blocks once they run. */
    private java.util.concurrent.atomic.AtomicReference<io.palisade.core.modbus.AddressBlocks> modbusBlocks;
    /** Set once in {@link #start}, after construction: the overlay the API's grants feed. */
    private io.palisade.control.service.OverlayService overlay;
    /** The event log shared with other instances, closed after the writer flushed into it, before the store. */
    private final Optional<io.palisade.core.cluster.SharedEventLog> sharedEvents;
    /** Set once in {@link #start} when this is one of several instances: its hold on the singleton duty. */
    private DutyLease dutyLease;
    /** Room for events while the store is down: about a million typical events. */
    static final long EVENT_SPOOL_BYTES = 512L << 20;

    private ControlPlane(Optional<io.palisade.core.cluster.SharedEventLog> sharedEvents,
                         java.util.concurrent.atomic.AtomicReference<io.palisade.core.device.DeviceConnections> connections,
                         InstanceLock instanceLock, SpoolingEventWriter eventWriter, EventRecorder recorder, EventBus bus, SiemService siem, PalisadeMetrics metrics, Router router,
                         Database database, CertificateAuthority ca, DeviceService devices, EventStore events,
                         HttpsServer server, AdminToken adminToken, DeviceRegistry registry, ServerIdentity identity,
                         PolicyBook policies, String commandKeyPem, Optional<DetectionService> detection,
                         java.nio.file.Path checkpointFile) {
        this.connections = connections;
        this.sharedEvents = sharedEvents;
        this.checkpointFile = checkpointFile;
        this.instanceLock = instanceLock;
        this.eventWriter = eventWriter;
        this.recorder = recorder;
        this.siem = siem;
        this.router = router;
        this.metrics = metrics;
        this.bus = bus;
        this.detection = detection;
        this.database = database;
        this.ca = ca;
        this.devices = devices;
        this.events = events;
        this.server = server;
        this.adminToken = adminToken;
        this.registry = registry;
        this.identity = identity;
        this.policies = policies;
        this.commandKeyPem = commandKeyPem;
    }

    public static ControlPlane start(ControlPlaneConfig config, Clock clock) throws IOException, InterruptedException {
        return start(config, FleetChannel.NONE, clock);
    }

    /**
     * Starts with {@code fleet}, the connection to the broker through which roll-outs reach devices
     * and device reports come back.
     */
    public static ControlPlane start(ControlPlaneConfig config, FleetChannel fleet, Clock clock)
            throws IOException, InterruptedException {
        return start(config, fleet, clock, Optional.empty());
    }

    /**
     * Starts with {@code fleet} and, when {@code detection} is given, a detector that sees the control
     * plane's own events (enrollment failures) and whose rules, alerts and approvals the API manages;
     * the process that runs the gateway feeds it the data plane's events and traffic ({@link #detection()}).
     */
    public static ControlPlane start(ControlPlaneConfig config, FleetChannel fleet, Clock clock,
                                     Optional<DetectionConfig> detection) throws IOException, InterruptedException {
        return start(config, fleet, clock, detection, ClusterMembership.SINGLE);
    }

    /**
     * Starts as one of several instances sharing the store: changes made here go out on the membership's channel,
     * notices arriving on it are applied here (the caller starts the channel after this returns), and events go
     * through the shared event log when there is one (this instance drains its share into the store). The log is
     * closed with this control plane.
     */
    public static ControlPlane start(ControlPlaneConfig config, FleetChannel fleet, Clock clock,
                                     Optional<DetectionConfig> detection, ClusterMembership membership)
            throws IOException, InterruptedException {
        StateChannel cluster = membership.channel();
        String instance = membership.instance();
        DataDirectory data = new DataDirectory(config.dataDir());
        data.create();
        InstanceLock instanceLock = InstanceLock.acquire(data.root());
        StoreUrl storeUrl = config.storeUrl().map(StoreUrl::parse).orElse(StoreUrl.sqlite(data.databaseFile()));
        Database database;
        try {
            database = Database.open(storeUrl);
        } catch (RuntimeException e) {
            instanceLock.close();
            throw e;
        }
        SpoolingEventWriter eventWriter = null;
        EventRecorder recorder = null;
        SiemService siem = null;
        DutyLease heldLease = null;
        try {
            DeviceCertificateProfile profile = new DeviceCertificateProfile(config.deviceCertLifetime(),
                    crlUrl(config));
            CertificateAuthority ca = new CaDirectory(data.root())
                    .openOrCreate(Optional.ofNullable(System.getenv(CaDirectory.PASSPHRASE_ENV)), profile, clock);
            ServerIdentity identity = ServerIdentity.loadOrIssue(data, ca, config.hostNames(), clock);
            AdminToken adminToken = new AdminToken(data.adminTokenCreatingIfAbsent(), data::newAdminToken);

            DeviceRegistry registry = new SqlDeviceRegistry(database);
            PolicyBook policies = new PolicyBook();
            CommandKey commandKey;
            AuditKey auditKey;
            try (SecretBytes passphrase = CaDirectory.keyPassphrase(data.root())) {
                commandKey = CommandKey.loadOrCreate(data.root(), passphrase);
                auditKey = AuditKey.loadOrCreate(data.root(), passphrase);
            }
            SqlEventStore eventStore = new SqlEventStore(database, auditKey, AuditService.CHECKPOINT_EVERY);
            // Every event goes through one writer, which spools to disk while the store refuses writes.
            PalisadeMetrics metrics = new PalisadeMetrics();
            // With a shared event log, the writer appends to it (spooling while the bus is away) and this instance
            // drains its share of the log into the store; without one, the writer appends to the store.
            java.util.function.Consumer<java.util.List<io.palisade.core.event.SecurityEvent>> storeAppend =
                    metrics.timedStore(eventStore::appendAll);
            eventWriter = new SpoolingEventWriter(membership.events()
                    .<java.util.function.Consumer<java.util.List<io.palisade.core.event.SecurityEvent>>>map(
                            log -> log::append).orElse(storeAppend),
                    membership.events().map(log -> "shared event log (" + log.describe() + ")").orElse("event store"),
                    EventSpool.open(data.eventSpoolFile(), EVENT_SPOOL_BYTES), clock);
            membership.events().ifPresent(log -> log.drainInto(storeAppend));
            SpoolingEventWriter writer = eventWriter;
            EventBudget floodBudget = new EventBudget(config.eventRetention().floodBudget(), EventRetention.FLOOD_WINDOW,
                    clock);
            recorder = new EventRecorder(writer, floodBudget, EventRetention.FLOOD_WINDOW, clock);
            // One bus for every event of the process: the store first, then its subscribers.
            EventBus bus = new EventBus(recorder);
            // The detector sees every event, floods included (the store gets those aggregated); it is
            // created below, once the services it acts through exist.
            DetectorTap tap = new DetectorTap();
            bus.subscribe("detection", tap::onEvent);
            bus.subscribe("metrics", metrics.eventCounter());
            io.palisade.control.console.LiveTimeline live = new io.palisade.control.console.LiveTimeline();
            bus.subscribe("console", live);
            EventRecorder queued = recorder;
            metrics.gauge("palisade.events.dropped", "events the store queue could not take", queued,
                    EventRecorder::dropped);
            metrics.gauge("palisade.events.spooled", "events waiting in the spool for the store", writer,
                    SpoolingEventWriter::spooled);
            Events events = new Events(bus.durable(), clock);
            PolicyService policyService = new PolicyService(new SqlPolicyStore(database), policies, events, clock);
            policyService.load();
            FailureLimiter limiter = new FailureLimiter(config.failureBurst(), config.failuresPerMinute(), events,
                    clock);
            DeviceService devices = new DeviceService(registry, events, new OneTimeTokens(), clock);
            // Of several instances, one does the work that must be done once (SIEM export, device reports, audit
            // chain upkeep): whoever holds the store's duty lease.
            Duty duty = cluster == StateChannel.NONE ? Duty.ALWAYS : DutyLease.start(storeUrl, instance);
            if (duty instanceof DutyLease lease) {
                heldLease = lease;
            }
            ClusterSync clusterSync = new ClusterSync(cluster, instance, duty, devices, policyService, clock);
            clusterSync.connect();
            FleetChannel reports = fleet.handledOnlyWhile(duty);
            CrlService crl = new CrlService(ca, registry, clock);
            devices.addListener(crl);
            SupersededCertificates superseded = new SupersededCertificates(registry, crl, events, clock,
                    config.supersededGrace());
            EnrollmentService enrollment = new EnrollmentService(ca, registry, events, limiter, clock);
            java.util.concurrent.atomic.AtomicReference<io.palisade.core.device.DeviceConnections> connectionsHolder =
                    new java.util.concurrent.atomic.AtomicReference<>(io.palisade.core.device.DeviceConnections.NONE);
            metrics.gauge("palisade.connections", "devices with a session open", connectionsHolder,
                    held -> held.get().connectedCount());
            RolloutService rollouts = new RolloutService(new SqlRolloutStore(database), registry, policies, fleet,
                    new RepositoryTargets(data.tufRepository()), events, clock, connectionsHolder::get);
            rollouts.load();
            new FirmwareReports(rollouts, events).listen(reports);
            DeviceCommands commands = new DeviceCommands(registry, devices, policies, fleet, commandKey.privateKey(),
                    new RepositoryTargets(data.tufRepository()), events, clock);
            commands.listen();
            IntegrityReports integrity = new IntegrityReports(events);
            integrity.listen(reports);
            new FirewallReports(events).listen(reports);
            SqlAttestationStore attestationStore = new SqlAttestationStore(database);
            AttestationService attestation = new AttestationService(attestationStore, registry, devices, fleet, events,
                    clock);
            attestation.listen();
            if (clusterSync.clustered()) {
                attestation.shareBrokerWithOtherInstances();
            }
            bus.subscribe("attestation", attestation::onEvent);
            new TamperReports(new TamperReportCheck(ca.chain(), new io.palisade.pki.DeviceAuthenticator(registry)),
                    new io.palisade.store.SqlTamperCounters(database), devices, commands, events, clock,
                    config.tamperResponse()).listen(reports);
            Optional<DetectionService> detectionService = Optional.empty();
            if (detection.isPresent()) {
                // Findings go through the bus's queued path: the detector runs on gateway I/O threads.
                DetectionResponder responder = new DetectionResponder(devices);
                Detector detector = new Detector(detection.get(), responder, bus, clock, System::nanoTime,
                        id -> registry.find(id).map(d -> new DeviceScope(d.profile(), d.segment()))
                                .orElse(DeviceScope.DEFAULT), null, System.nanoTime());
                DetectionService service = new DetectionService(detector, responder,
                        new SqlDetectionStore(database), eventStore, events, clock);
                service.load();
                service.restoreFrom(data.detectionCheckpointFile());
                tap.attach(detector);
                detectionService = Optional.of(service);
            }

            Router router = new Router();
            new HealthRoutes(writer, clusterSync, membership.events()).register(router);
            new EstRoutes(enrollment).register(router);
            SqlOperatorStore operatorStore = new SqlOperatorStore(database);
            OperatorService operators = new OperatorService(operatorStore, new PasswordHasher(), events, clock);
            AdminAuthenticator admin = new AdminAuthenticator(adminToken, limiter, events, operators);
            JsonBodies bodies = new JsonBodies(events);
            new AdminApiRoutes(devices, eventStore, admin, limiter, events, policies::isSegmentQuarantined,
                    connectionsHolder::get)
                    .register(router);
            new PolicyRoutes(policyService, devices, admin).register(router);
            new AdminTokenRoutes(adminToken, admin, events, data.adminTokenFile()).register(router);
            new PkiRoutes(crl, ca, commandKey.publicPem()).register(router);
            new DeviceCommandRoutes(commands, admin, bodies).register(router);
            new IntegrityRoutes(integrity, admin, bodies).register(router);
            new TufRoutes(data.tufRepository()).register(router);
            new RolloutRoutes(rollouts, admin, bodies).register(router);
            new DeviceRetirementRoutes(new DeviceRetirement(devices, registry, rollouts, events, clock,
                    new io.palisade.store.SqlBehaviourStore(database)), admin, bodies)
                    .register(router);
            detectionService.ifPresent(service -> new DetectionRoutes(service, admin, bodies).register(router));
            new EvaluationRoutes(data.evaluationReportFile(), admin).register(router);
            // The Modbus firewall's rules: the proxy (started by the process when a PLC is configured) asks this
            // firewall; the rules are stored and changed through the API.
            io.palisade.core.modbus.ModbusFirewall modbusFirewall = new io.palisade.core.modbus.ModbusFirewall(System::nanoTime);
            io.palisade.control.service.ModbusRules modbusRules = new io.palisade.control.service.ModbusRules(
                    new io.palisade.store.SqlModbusRuleStore(database), modbusFirewall, events, clock);
            modbusRules.load();
            java.util.concurrent.atomic.AtomicReference<io.palisade.core.modbus.AddressBlocks> modbusBlocks =
                    new java.util.concurrent.atomic.AtomicReference<>(io.palisade.core.modbus.AddressBlocks.NONE);
            new io.palisade.control.http.ModbusRoutes(modbusRules, modbusBlocks::get, events, admin, bodies)
                    .register(router);
            io.palisade.control.service.OverlayService overlay = new io.palisade.control.service.OverlayService(
                    new io.palisade.store.SqlOverlayStore(database), registry, operatorStore, ca, events, clock);
            new io.palisade.control.http.OverlayRoutes(overlay, admin, bodies).register(router);
            operators.onRemoved(overlay::operatorRemoved);
            io.palisade.control.service.PskService psks = new io.palisade.control.service.PskService(
                    new io.palisade.store.SqlPskStore(database), registry, data.sealer(), events, clock);
            new io.palisade.control.http.PskRoutes(psks, admin).register(router);
            io.palisade.control.service.RpkService rpks = new io.palisade.control.service.RpkService(
                    new io.palisade.store.SqlRpkStore(database), registry, events, clock);
            new io.palisade.control.http.RpkRoutes(rpks, admin, bodies).register(router);
            new io.palisade.control.http.AttestationRoutes(attestation, admin, bodies).register(router);
            new io.palisade.control.http.DeviceAttestationRoutes(attestation, registry, bodies).register(router);
            io.palisade.control.service.ZigbeeService zigbee = new io.palisade.control.service.ZigbeeService(
                    new io.palisade.store.SqlZigbeeStore(database), registry, data.sealer(), events, clock);
            io.palisade.store.SqlRfidStore rfidStore = new io.palisade.store.SqlRfidStore(database);
            io.palisade.control.service.RfidVault rfid = new io.palisade.control.service.RfidVault(rfidStore,
                    data.sealer(), events, clock);
            io.palisade.control.service.TagSightings sightings = new io.palisade.control.service.TagSightings(
                    rfidStore, registry, events, io.palisade.core.rfid.CloneCheck.defaults(), clock);
            new io.palisade.control.http.RfidRoutes(rfid, sightings, new io.palisade.control.service.TagPasswords(rfid,
                    rfidStore, registry, events, clock), admin, bodies).register(router);
            java.util.concurrent.atomic.AtomicReference<io.palisade.core.radio.CaptureIngest> zigbeeCaptures =
                    new java.util.concurrent.atomic.AtomicReference<>();
            new io.palisade.control.http.ZigbeeRoutes(zigbee, () -> java.util.Optional.ofNullable(zigbeeCaptures.get()),
                    admin, bodies).register(router);
            siem = new SiemService(new SqlSiemStore(database), eventStore, data.siemDirectory(), Origin.local(), events,
                    clock, SiemService.SETTLE);
            clusterSync.share(siem);
            siem.start();
            metrics.siemFrom(siem::list);
            new SiemRoutes(siem, admin, bodies).register(router);
            AuditService audit = new AuditService(eventStore, auditKey, clock);
            SiemService destinations = siem;
            AuditChecks checks = new AuditChecks(registry, connectionsHolder::get, policies, eventStore, events,
                    detectionService.isPresent(), () -> destinations.list().stream().map(status ->
                    new AuditChecks.SiemState(status.destination().name(), status.failing(), status.lastError())).toList(),
                    config.deviceCertLifetime(), clock);
            new AuditRoutes(audit, checks, admin).register(router);
            new OperatorRoutes(operators, admin, bodies, limiter).register(router);
            new OpenApiRoutes().register(router);
            new MetricsRoutes(metrics, admin).register(router);
            // The web console last: its pages read and change through the API routes above, in process.
            new io.palisade.control.console.ConsoleRoutes(operators, router, live, eventStore::lastId).register(router);

            SslContext tls = ServerTls.forHttps(identity.key(), identity.chain(), ca.chain());
            // Events the pipeline raises on I/O threads (failed handshakes, oversized bodies) take the bus's
            // queued path: a flood of them never puts disk writes on the event loop, and is aggregated.
            HttpsServer server = HttpsServer.start(new InetSocketAddress(config.bindAddress(), config.httpsPort()),
                    tls, router, new Events(bus, clock),
                    io.palisade.core.limit.DescriptorBudget.ofProcess().httpsConnections(), data.apiSocketFile());
            ControlPlane plane = new ControlPlane(membership.events(), connectionsHolder, instanceLock, writer, recorder, bus, siem, metrics, router, database, ca,
                    devices, eventStore, server, adminToken, registry, identity, policies, commandKey.publicPem(),
                    detectionService, data.detectionCheckpointFile());
            plane.modbusFirewall = modbusFirewall;
            plane.overlay = overlay;
            plane.psks = psks;
            plane.zigbee = zigbee;
            plane.rpks = rpks;
            plane.tagSightings = sightings;
            plane.zigbeeCaptures = zigbeeCaptures;
            plane.modbusBlocks = modbusBlocks;
            plane.sweeps.scheduleWithFixedDelay(superseded, 0, SWEEP_SECONDS, TimeUnit.SECONDS);
            plane.sweeps.scheduleWithFixedDelay(attestation::tick, 1, 1, TimeUnit.SECONDS);
            detectionService.ifPresent(service -> plane.sweeps.scheduleWithFixedDelay(
                    service::retryProposalWrites, PROPOSAL_RETRY_SECONDS, PROPOSAL_RETRY_SECONDS, TimeUnit.SECONDS));
            detectionService.ifPresent(service -> plane.sweeps.scheduleWithFixedDelay(
                    () -> service.checkpointTo(data.detectionCheckpointFile()), DETECTION_CHECKPOINT_MINUTES,
                    DETECTION_CHECKPOINT_MINUTES, TimeUnit.MINUTES));
            plane.sweeps.scheduleWithFixedDelay(() -> {
                try {
                    rollouts.passDeadlines(connectionsHolder.get());
                } catch (RuntimeException e) {
                    // A store outage must not end the schedule: the next pass retries.
                    LOG.log(System.Logger.Level.ERROR, "could not pass roll-out wave deadlines: " + e.getMessage(), e);
                }
            }, ROLLOUT_DEADLINE_CHECK_SECONDS, ROLLOUT_DEADLINE_CHECK_SECONDS, TimeUnit.SECONDS);
            plane.sweeps.scheduleWithFixedDelay(live::keepAlive, io.palisade.control.console.LiveTimeline.KEEP_ALIVE_SECONDS,
                    io.palisade.control.console.LiveTimeline.KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
            plane.sweeps.scheduleWithFixedDelay(onDuty(duty, checks::runScheduled), AUDIT_CHECKS_FIRST_MINUTES,
                    AUDIT_CHECKS_EVERY_MINUTES, TimeUnit.MINUTES);
            plane.sweeps.scheduleWithFixedDelay(onDuty(duty, audit::checkpointIfDue),
                    AuditService.CHECKPOINT_CHECK_SECONDS, AuditService.CHECKPOINT_CHECK_SECONDS, TimeUnit.SECONDS);
            plane.sweeps.scheduleWithFixedDelay(onDuty(duty, new EventPruning(eventStore, config.eventRetention(),
                    clock)), 0, TimeUnit.HOURS.toSeconds(1), TimeUnit.SECONDS);
            plane.dutyLease = heldLease;
            detectionService.ifPresent(clusterSync::share);
            if (clusterSync.clustered() && detectionService.isPresent()) {
                // Several instances: what detection learned of a device follows it to the instance it moves to.
                BehaviourHandover handover = new BehaviourHandover(detectionService.get().detector(),
                        new io.palisade.store.SqlBehaviourStore(database), instance);
                plane.handover = Optional.of(handover);
                handover.adoptCohorts();
                plane.sweeps.scheduleWithFixedDelay(handover::saveCohorts, DETECTION_CHECKPOINT_MINUTES,
                        DETECTION_CHECKPOINT_MINUTES, TimeUnit.MINUTES);
                plane.sweeps.scheduleWithFixedDelay(handover::saveRecent, BehaviourHandover.SAVE_EVERY.toSeconds(),
                        BehaviourHandover.SAVE_EVERY.toSeconds(), TimeUnit.SECONDS);
            }
            return plane;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (heldLease != null) {
                heldLease.close();
            }
            if (siem != null) {
                siem.close();
            }
            if (recorder != null) {
                recorder.close();
            }
            if (eventWriter != null) {
                eventWriter.close();
            }
            membership.events().ifPresent(io.palisade.core.cluster.SharedEventLog::close);
            database.close();
            instanceLock.close();
            throw e;
        }
    }

    /** Where device certificates say the CRL is; omitted when the port is chosen at bind time (tests). */
    private static Optional<URI> crlUrl(ControlPlaneConfig config) {
        if (config.httpsPort() == 0) {
            return Optional.empty();
        }
        String host = config.hostNames().isEmpty() ? "localhost" : config.hostNames().get(0);
        String authority = host.contains(":") ? "[" + host + "]" : host;
        return Optional.of(URI.create("https://" + authority + ":" + config.httpsPort() + PkiRoutes.CRL_PATH));
    }

    /** Devices' pre-shared keys (sealed in the store), for the CoAP/DTLS listener's handshakes. */
    public io.palisade.core.device.PreSharedKeys preSharedKeys() {
        return psks;
    }

    /** Lets the API show and lift the address blocks of the process's Modbus listeners. */
    /** The ZigBee keys and bindings the API manages; the process's radio ingest verifies with its keyring. */
    public io.palisade.control.service.ZigbeeService zigbee() {
        return zigbee;
    }

    /** Devices' raw public keys, which the CoAP listener's handshakes are checked against. */
    public io.palisade.core.device.DevicePublicKeys devicePublicKeys() {
        return rpks;
    }

    /** Where readers' RFID sightings are judged; the process's reader-report subscription hands them over. */
    public io.palisade.control.service.TagSightings tagSightings() {
        return tagSightings;
    }

    /** Where radio frame-counter windows are kept (this instance's store), so restarts do not reopen them. */
    public io.palisade.core.radio.FrameCounters radioFrameCounters() {
        return new io.palisade.store.SqlFrameCounters(database);
    }

    /** The running ZigBee ingest, to which {@code POST /api/v1/zigbee/captures} hands uploaded captures. */
    public void serveZigbeeCaptures(io.palisade.core.radio.CaptureIngest ingest) {
        zigbeeCaptures.set(ingest);
    }

    public void serveModbusBlocks(io.palisade.core.modbus.AddressBlocks blocks) {
        modbusBlocks.set(blocks);
    }

    /** The isolation overlay's hosts and grants, which the API manages; the process's tunnel listener asks it. */
    public io.palisade.control.service.OverlayService overlay() {
        return overlay;
    }

    /** The Modbus firewall whose rules the API manages; the process's Modbus proxy asks it. */
    public io.palisade.core.modbus.ModbusFirewall modbusFirewall() {
        return modbusFirewall;
    }

    public int httpsPort() {
        return server.port();
    }

    /** The admin API's Unix socket for commands on this host, when it is served (see {@code HttpsServer}). */
    public Optional<java.nio.file.Path> localApiSocket() {
        return server.localSocket();
    }

    public CertificateAuthority ca() {
        return ca;
    }

    public DeviceService devices() {
        return devices;
    }

    public EventStore events() {
        return events;
    }

    /** The registry the data plane reads identities from (the same store the control plane writes). */
    public DeviceRegistry registry() {
        return registry;
    }

    /** The access policies in force; the gateway evaluates them, the API changes them. */
    public PolicyBook policies() {
        return policies;
    }

    /** The TLS identity shared by the HTTPS and MQTT ports. */
    public ServerIdentity serverIdentity() {
        return identity;
    }

    /** The public command key (PEM) devices pin to check wipe and reflash commands. */
    public String commandKeyPem() {
        return commandKeyPem;
    }

    /**
     * What the gateway and the other listeners report their traffic to: the detector (with several instances, through
     * the {@link BehaviourHandover} in front of it), or nothing when detection is off.
     */
    public io.palisade.core.event.TrafficObserver detectionTraffic() {
        if (handover.isPresent()) {
            return handover.get();
        }
        return detection.<io.palisade.core.event.TrafficObserver>map(DetectionService::detector)
                .orElse(io.palisade.core.event.TrafficObserver.NONE);
    }

    /** Detection, when this control plane runs it: the detector to feed, its rules, alerts and responses. */
    public Optional<DetectionService> detection() {
        return detection;
    }

    /**
     * The process's one event bus: the data plane emits into it ({@link EventBus#emit} never blocks), and
     * the store, detection and every other subscriber get each event from it.
     */
    public EventBus eventBus() {
        return bus;
    }

    /** Every HTTPS route as {@code METHOD /template} (the role matrix is tested over all of them). */
    public java.util.List<String> routes() {
        return router.routes();
    }

    /** The process's metrics (the gateway puts its traffic counters in front of detection with it). */
    public PalisadeMetrics metrics() {
        return metrics;
    }

    /** How events reach the store (queue drops, flushing in tests). */
    public EventRecorder eventRecorder() {
        return recorder;
    }

    /** Tells the API where the data plane says each device stands (the gateway, once it runs). */
    public void reportConnectionsFrom(io.palisade.core.device.DeviceConnections source) {
        connections.set(source);
    }


    public String storeDescription() {
        return database.url().redacted();
    }

    /** {@code work}, done only while this instance holds {@code duty}. */
    private static Runnable onDuty(Duty duty, Runnable work) {
        return () -> {
            if (duty.held()) {
                work.run();
            }
        };
    }

    @Override
    public void close() {
        try {
            sweeps.shutdownNow();
            server.close();
            detection.ifPresent(d -> d.checkpointTo(checkpointFile));
            handover.ifPresent(h -> { // the sessions just ended: their devices' state for the instances they go to
                h.saveRecent();
                h.saveCohorts();
                h.close();
            });
            detection.ifPresent(d -> d.detector().close());
            siem.close();
            recorder.close();
            eventWriter.close();
            sharedEvents.ifPresent(io.palisade.core.cluster.SharedEventLog::close);
        } finally {
            if (dutyLease != null) {
                dutyLease.close(); // before the pool closes: another instance takes the duty at once
            }
            adminToken.close();
            database.close();
            instanceLock.close();
        }
    }
}
