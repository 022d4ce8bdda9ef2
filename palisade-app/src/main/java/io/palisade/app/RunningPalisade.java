package io.palisade.app;

import io.palisade.app.broker.EmbeddedBroker;
import io.palisade.cluster.BusUnavailableException;
import io.palisade.cluster.KafkaBusUrl;
import io.palisade.cluster.KafkaEventLog;
import io.palisade.cluster.KafkaStateChannel;
import io.palisade.core.cluster.StateChannel;
import io.palisade.control.ControlPlane;
import io.palisade.control.ControlPlaneConfig;
import io.palisade.control.ServerIdentity;
import io.palisade.control.service.DetectionService;
import io.palisade.core.event.TrafficObserver;
import io.palisade.core.limit.DescriptorBudget;
import io.palisade.detect.DetectionConfig;
import io.palisade.detect.Detector;
import io.palisade.gateway.BrokerLink;
import io.palisade.gateway.DeviceTls;
import io.palisade.gateway.GatewayLimits;
import io.palisade.gateway.MqttGateway;
import io.palisade.gateway.UpstreamAddress;
import java.io.IOException;
import io.palisade.pki.Pem;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Everything {@code palisade up} runs in one process, started in dependency order and stopped in
 * reverse: control plane (store, CA, HTTPS), upstream broker (embedded unless one is given),
 * the control plane's own broker connection (roll-out offers, device reports),
 * detection (watching the gateway's events and traffic, quarantining on high-severity findings),
 * MQTT gateway (its events go onto the control plane's event bus without waiting), the link that lets
 * revocation and quarantine reach live sessions, and the re-signing of the update repository's timestamp.
 */
public final class RunningPalisade implements AutoCloseable {

    /** What {@code palisade up} was asked to run, beyond the control plane's own configuration. */
    public record GatewayOptions(int mqttPort, Optional<String> upstream, Optional<Path> upstreamCa,
                                 GatewayLimits limits, Optional<DetectionConfig> detection) {

        /** With detection on, in its default configuration. */
        public GatewayOptions(int mqttPort, Optional<String> upstream, Optional<Path> upstreamCa, GatewayLimits limits) {
            this(mqttPort, upstream, upstreamCa, limits, Optional.of(DetectionConfig.defaults()));
        }
    }

    /**
     * Whether this process is one of several: the bus to the others (none: a single instance) and this instance's
     * name among them (unique; it is how an instance knows its own notices).
     */
    public record ClusterOptions(Optional<KafkaBusUrl> bus, String instance) {

        public static final ClusterOptions SINGLE = new ClusterOptions(Optional.empty(), "local");
    }

    /** Kafka's clients log every configuration at INFO; Palisade's own log says what matters about the bus. */
    private static final java.util.logging.Logger KAFKA_LOG = java.util.logging.Logger.getLogger("org.apache.kafka");

    static {
        KAFKA_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    /**
     * Partitions of a new event log: the most instances that can drain it at once (more instances stand by); an
     * operator may create the topic with more beforehand.
     */
    private static final int EVENT_PARTITIONS = 12;

    /** How long a start waits for the bus before it gives up with the reason. */
    private static final java.time.Duration BUS_START_TIMEOUT = java.time.Duration.ofSeconds(30);

    private final ControlPlane plane;
    private final StateChannel cluster;
    private final String instance;
    private final String busUrl;
    private final Optional<EmbeddedBroker> broker;
    private final BrokerLink link;
    private final Optional<Detector> detector;
    private final MqttGateway gateway;
    private final UpstreamAddress upstream;
    private final TimestampRefresher timestamps;

    private final int maxConnections;

    private RunningPalisade(ControlPlane plane, StateChannel cluster, ClusterOptions clusterOptions,
                            Optional<EmbeddedBroker> broker, BrokerLink link,
                            MqttGateway gateway, UpstreamAddress upstream,
                            TimestampRefresher timestamps, Optional<Detector> detector, int maxConnections) {
        this.cluster = cluster;
        this.instance = clusterOptions.instance();
        this.busUrl = clusterOptions.bus().map(KafkaBusUrl::toString).orElse("none");
        this.detector = detector;
        this.maxConnections = maxConnections;
        this.plane = plane;
        this.broker = broker;
        this.link = link;
        this.gateway = gateway;
        this.upstream = upstream;
        this.timestamps = timestamps;
    }

    public static RunningPalisade start(ControlPlaneConfig config, GatewayOptions options, Clock clock)
            throws IOException, InterruptedException {
        return start(config, options, ClusterOptions.SINGLE, clock);
    }

    /** As one of several instances when {@code cluster} names a bus. */
    public static RunningPalisade start(ControlPlaneConfig config, GatewayOptions options, ClusterOptions cluster,
                                        Clock clock) throws IOException, InterruptedException {
        new io.palisade.control.DataDirectory(config.dataDir()).create();
        // Held while starting, before the embedded broker touches its files; the control plane keeps its own.
        try (io.palisade.control.InstanceLock starting = io.palisade.control.InstanceLock.acquire(config.dataDir())) {
            io.palisade.control.ClusterMembership membership = openBus(cluster, clock);
            try {
                return startLocked(config, options, membership, cluster, clock);
            } catch (IOException | InterruptedException | RuntimeException e) {
                membership.channel().close();
                membership.events().ifPresent(io.palisade.core.cluster.SharedEventLog::close); // closing twice is harmless
                throw e;
            }
        }
    }

    /** The bus of several instances: the state channel and the shared event log; nothing for a single instance. */
    private static io.palisade.control.ClusterMembership openBus(ClusterOptions cluster, Clock clock)
            throws IOException {
        if (cluster.bus().isEmpty()) {
            return io.palisade.control.ClusterMembership.SINGLE;
        }
        KafkaStateChannel channel = null;
        try {
            channel = KafkaStateChannel.open(cluster.bus().get(), cluster.instance(), BUS_START_TIMEOUT, clock);
            KafkaEventLog events = KafkaEventLog.open(cluster.bus().get(), cluster.instance(), EVENT_PARTITIONS,
                    BUS_START_TIMEOUT, clock);
            return new io.palisade.control.ClusterMembership(channel, cluster.instance(), Optional.of(events));
        } catch (BusUnavailableException e) {
            if (channel != null) {
                channel.close();
            }
            // Its message says what to check; Kafka's own cause ("TimeoutException") would only hide it.
            System.getLogger(RunningPalisade.class.getName()).log(System.Logger.Level.DEBUG, "bus unavailable", e);
            throw new IOException(e.getMessage());
        }
    }

    private static RunningPalisade startLocked(ControlPlaneConfig config, GatewayOptions options,
                                               io.palisade.control.ClusterMembership membership,
                                               ClusterOptions cluster, Clock clock)
            throws IOException, InterruptedException {
        UpstreamAddress given = options.upstream().map(UpstreamAddress::parse).orElse(null);
        if (given != null && options.upstreamCa().isPresent()) {
            given = given.withTrustAnchors(Pem.readCertificates(options.upstreamCa().get()));
        }
        new io.palisade.control.DataDirectory(config.dataDir()).create();
        // Moquette starts on the other core while the control plane opens its store and keys (each about
        // 0.6 s); the control plane's broker link keeps trying until it listens.
        Optional<EmbeddedBroker> broker = given == null
                ? Optional.of(EmbeddedBroker.prepare(config.dataDir(), options.limits().maxPacketBytes()))
                : Optional.empty();
        broker.ifPresent(EmbeddedBroker::startInBackground);
        UpstreamAddress upstream = given != null ? given : broker.get().address();
        BrokerLink link = BrokerLink.connect(upstream, "palisade-control-" + ProcessHandle.current().pid());
        ControlPlane plane;
        try {
            plane = ControlPlane.start(config, link, clock, options.detection(), membership);
        } catch (IOException | InterruptedException | RuntimeException e) {
            link.close();
            broker.ifPresent(EmbeddedBroker::close);
            throw e;
        }
        try {
            if (broker.isPresent()) {
                broker.get().awaitStarted();
            }
        } catch (IOException e) {
            plane.close();
            link.close();
            broker.ifPresent(EmbeddedBroker::close);
            throw e;
        }
        try {
            ServerIdentity identity = plane.serverIdentity();
            // The gateway's events go onto the bus without waiting for the store (which gets floods of
            // refused publishes and violations aggregated); detection sees every one of them there, and
            // every PUBLISH the gateway lets through as traffic.
            Detector watching = plane.detection().map(DetectionService::detector).orElse(null);
            GatewayLimits limits = withinDescriptorBudget(options.limits());
            MqttGateway gateway = MqttGateway.start(new InetSocketAddress(config.bindAddress(), options.mqttPort()),
                    DeviceTls.serverContext(identity.key(), identity.chain(), plane.ca().chain()), upstream,
                    limits, plane.policies(), plane.registry(), plane.eventBus(),
                    plane.metrics().traffic(plane.detectionTraffic()), clock);
            plane.devices().addListener(gateway.sessions());
            plane.reportConnectionsFrom(gateway.sessions());
            plane.detection().ifPresent(d -> d.throttleWith(gateway.sessions()::throttle));
            TimestampRefresher timestamps = new TimestampRefresher(
                    new io.palisade.control.DataDirectory(config.dataDir()).tufRepository(),
                    io.palisade.pki.ca.CaDirectory.keyPassphrase(config.dataDir()), clock);
            // Notices from the other instances apply from here on: every listener they reach exists now.
            StateChannel channel = membership.channel();
            if (channel instanceof KafkaStateChannel kafka) {
                kafka.start();
            }
            return new RunningPalisade(plane, channel, cluster, broker, link, gateway, upstream, timestamps,
                    Optional.ofNullable(watching), limits.maxConnections());
        } catch (IOException | InterruptedException | RuntimeException e) {
            link.close();
            broker.ifPresent(EmbeddedBroker::close);
            plane.close();
            throw e;
        }
    }

    /**
     * The gateway's limits with {@code max-connections} no higher than the MQTT share of this process's
     * open-file limit (two descriptors per session): the gateway then refuses cleanly instead of running
     * out of descriptors for the store, the upstream and the HTTPS port.
     */
    static GatewayLimits withinDescriptorBudget(GatewayLimits limits) {
        int sessions = DescriptorBudget.ofProcess().mqttSessions();
        return limits.maxConnections() <= sessions ? limits : limits.with("max-connections", Integer.toString(sessions));
    }

    /** How this process's descriptors are shared, and the gateway's effective connection limit, for the banner. */
    public String descriptorBudget() {
        return DescriptorBudget.ofProcess().describe() + "; gateway max-connections " + maxConnections;
    }

    /** "single" or this instance's name and bus, for the banner. */
    public String clusterDescription() {
        return cluster == StateChannel.NONE ? "single (no --bus)" : "one of several: " + instance + " on " + busUrl;
    }

    public ControlPlane controlPlane() {
        return plane;
    }

    /** The detector watching the gateway, when detection is on. */
    public Optional<Detector> detector() {
        return detector;
    }

    /** Where other listeners (Modbus, overlay, CoAP) report allowed traffic: the detector, or nothing without one. */
    public TrafficObserver detectionTraffic() {
        return plane.detectionTraffic();
    }

    /** Whether the device has a live session on the gateway. */
    public boolean isConnected(String deviceId) {
        return gateway.sessions().isConnected(io.palisade.core.device.DeviceId.of(deviceId));
    }

    public int mqttPort() {
        return gateway.port();
    }

    /** The broker behind Palisade (embedded or given), for other listeners' own links to it. */
    public io.palisade.gateway.UpstreamAddress upstreamAddress() {
        return upstream;
    }

    public String upstreamDescription() {
        return broker.isPresent() ? "embedded broker (Moquette, MQTT 3.1.1; MQTT 5 devices carried over it) on " + upstream.host() + ":"
                + upstream.port() : upstream.toString();
    }

    @Override
    public void close() {
        try {
            timestamps.close();
            cluster.close();
            gateway.close();
            link.close();
            broker.ifPresent(EmbeddedBroker::close);
        } finally {
            plane.close();
        }
    }
}
