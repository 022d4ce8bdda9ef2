package io.palisade.app.cli;

import io.palisade.app.RunningPalisade;
import io.palisade.control.ControlPlane;
import io.palisade.control.ControlPlaneConfig;
import io.palisade.detect.DetectionConfig;
import io.palisade.detect.ResponseAction;
import io.palisade.control.DataDirectory;
import io.palisade.control.service.FailureLimiter;
import io.palisade.core.Errors;
import io.palisade.gateway.GatewayLimits;
import io.palisade.gateway.LeakDetection;
import io.palisade.gateway.UpstreamAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import io.palisade.legacy.modbus.ModbusProxy;
import io.palisade.legacy.modbus.RefusalMode;
import io.palisade.legacy.modbus.PlcRoutes;
import io.palisade.legacy.modbus.SecureClients;
import io.palisade.legacy.modbus.BlockedAddresses;

/** {@code palisade up}: starts everything in one process and runs until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start Palisade: CA, EST enrollment, REST API, event store and the mutual-TLS MQTT gateway"
                + " (with an embedded broker unless --upstream is given) in one process."
                + " The first start creates the CA, server certificate and admin token under --data.")
public final class UpCommand implements Runnable {

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "${env:PALISADE_DATA:-palisade-data}",
            description = "Data directory (default: $PALISADE_DATA, else palisade-data; now ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--https-port", paramLabel = "PORT", defaultValue = "8443",
            description = "HTTPS port for EST, the REST API and the CRL (default: ${DEFAULT-VALUE}).")
    int httpsPort;

    @Option(names = "--mqtt-port", paramLabel = "PORT", defaultValue = "8883",
            description = "MQTT over mutual TLS for devices (default: ${DEFAULT-VALUE}).")
    int mqttPort;

    @Option(names = "--upstream", paramLabel = "URL",
            description = "Broker behind the gateway: mqtt://[USER:PASS@]HOST:PORT or mqtts://..., with ?mqtt=3.1.1 for a"
                    + " broker that does not speak MQTT 5 and/or ?lanes=qos0 to carry all devices' QoS 0 publishes over"
                    + " one shared connection per core, or ?mux=1 to carry whole sessions over one MQTT 5 connection per"
                    + " core, one descriptor per device instead of two (join options with &; see README) (default: an embedded MQTT"
                    + " 3.1.1 broker on loopback; MQTT 5 devices are carried over it).")
    String upstream;

    @Option(names = "--upstream-ca", paramLabel = "FILE",
            description = "PEM CA certificate(s) to trust for an mqtts:// upstream (default: the JVM's trusted CAs).")
    Path upstreamCa;

    @Option(names = "--limit", paramLabel = "KEY=VALUE",
            description = "Change a gateway limit (repeatable), e.g. --limit messages-per-second=50. Keys: "
                    + "max-packet-bytes, messages-per-second, message-burst, bytes-per-second, max-throttle-seconds,"
                    + " max-subscriptions, max-inflight, connects-per-second-per-address, max-connections-per-address,"
                    + " max-connections, connect-timeout-seconds, max-keep-alive-seconds.")
    Map<String, String> limits = new LinkedHashMap<>();

    @Option(names = "--hostname", paramLabel = "NAME",
            description = "Extra DNS name or IP address for the server certificate (repeatable); localhost,"
                    + " 127.0.0.1 and ::1 are always included.")
    List<String> hostNames = new ArrayList<>();

    @Option(names = "--store", paramLabel = "URL",
            description = "sqlite:PATH or postgresql://HOST[:PORT]/DB (default: sqlite in the data directory).")
    String store;

    @Option(names = "--bus", paramLabel = "URL",
            description = "Run as one of several instances: kafka://HOST:PORT[,HOST:PORT][?prefix=NAME]. Device"
                    + " quarantine and revocation, policies and segment quarantine made on any instance reach the"
                    + " sessions of all. Needs --store postgresql://... and --upstream shared by every instance (see"
                    + " README, \"Several instances\"). Default: none (a single instance).")
    String bus;

    @Option(names = "--instance", paramLabel = "NAME",
            description = "This instance's name among several (--bus), unique to it; shown in health and logs"
                    + " (default: HOSTNAME-PID).")
    String instance;

    @Option(names = "--device-cert-lifetime", paramLabel = "DURATION", defaultValue = "24h",
            converter = DurationConverter.class,
            description = "Lifetime of device certificates, e.g. 24h (default: ${DEFAULT-VALUE}).")
    Duration deviceCertLifetime;

    @Option(names = "--superseded-grace", paramLabel = "DURATION", defaultValue = "1h",
            converter = DurationConverter.class,
            description = "How long a device's old certificate stays valid after it re-enrolled; then it is"
                    + " revoked (default: ${DEFAULT-VALUE}; 0s revokes at the next sweep, within a minute).")
    Duration supersededGrace;

    @Option(names = "--tamper-response", paramLabel = "RESPONSE", defaultValue = "quarantine",
            description = "What to do when a device's agent reports tamper evidence: alert (record only), quarantine,"
                    + " lock (quarantine and tell the device to stop its application until unlocked) or zeroise"
                    + " (quarantine and a signed wipe of its keys and data). Default: ${DEFAULT-VALUE}.")
    String tamperResponse;

    @Option(names = "--event-retention", paramLabel = "DURATION", defaultValue = "90d",
            converter = DurationConverter.class,
            description = "Security events older than this are deleted, hourly (default: ${DEFAULT-VALUE}).")
    Duration eventRetention;

    @Option(names = "--event-max-count", paramLabel = "N", defaultValue = "10000000",
            description = "At most this many security events are kept; beyond it the oldest of the lowest severity"
                    + " go first (default: ${DEFAULT-VALUE}).")
    long eventMaxCount;

    @Option(names = "--event-budget", paramLabel = "N", defaultValue = "1000",
            description = "Of the events anyone can raise at will (refused publishes, malformed requests, failed"
                    + " logins), at most N per 10 s are stored one by one across all sources; the rest are counted"
                    + " in summaries (default: ${DEFAULT-VALUE}).")
    int eventBudget;

    @Option(names = "--failure-burst", paramLabel = "N", defaultValue = "" + FailureLimiter.DEFAULT_BURST,
            description = "Failed requests one address may make in a burst before it is slowed down"
                    + " (default: ${DEFAULT-VALUE}).")
    int failureBurst;

    @Option(names = "--failures-per-minute", paramLabel = "N", defaultValue = "" + FailureLimiter.DEFAULT_PER_MINUTE,
            description = "Failed requests per minute one address may make after the burst (default: ${DEFAULT-VALUE}).")
    int failuresPerMinute;

    @Option(names = "--learning-period", paramLabel = "DURATION", defaultValue = "24h",
            converter = DurationConverter.class,
            description = "How long detection watches a device before rules that compare it with its own normal"
                    + " (new network, flood against its baseline) may fire, e.g. 30s for a demo (default: ${DEFAULT-VALUE}).")
    Duration learningPeriod;

    @Option(names = "--no-auto-quarantine",
            description = "Detection never quarantines or revokes by itself: high-severity findings propose a"
                    + " quarantine that an operator approves (palisade detect pending / approve).")
    boolean noAutoQuarantine;

    @Option(names = "--no-model", description = "Run detection with its rules only, without the learned model.")
    boolean noModel;

    @Option(names = "--response", paramLabel = "RULE=ACTION", split = ",",
            description = "What a rule's findings do, overriding the default by severity (repeatable); ACTION is"
                    + " record, alert, throttle, quarantine-with-approval, quarantine or revoke;"
                    + " e.g. --response file-tamper=revoke,model=throttle.")
    Map<String, String> responses = new LinkedHashMap<>();

    @Option(names = "--modbus-plc", paramLabel = "[UNITS=]HOST:PORT", description = "Protect this Modbus/TCP PLC:"
            + " clients connect to --modbus-port and only what the Modbus rules allow reaches it (palisade modbus set"
            + " ...). Repeat with the unit ids each PLC serves for several, e.g. 1-5=10.0.0.5:502.")
    List<String> modbusPlcs = new java.util.ArrayList<>();

    @Option(names = "--modbus-port", paramLabel = "PORT", defaultValue = "5020", description = "Port of the Modbus/TCP"
            + " firewall with --modbus-plc (default: ${DEFAULT-VALUE}; Modbus's own 502 needs root).")
    int modbusPort;

    @Option(names = "--modbus-tls-port", paramLabel = "PORT", description = "Also serve Modbus/TCP Security (TLS, a"
            + " device certificate from this Palisade required; the standard port is 802) for the same PLCs: each client"
            + " is the device its certificate names, with its role (device add --role), for 'modbus set --identity"
            + " / --role'.")
    Integer modbusTlsPort;

    @Option(names = "--coap-port", paramLabel = "PORT", description = "Serve CoAP over DTLS on this UDP port (the"
            + " standard one is 5684): devices with a pre-shared key (device add --psk) or a device certificate"
            + " publish with POST /ps/TOPIC.")
    Integer coapPort;

    @Option(names = "--zigbee-port", paramLabel = "PORT", description = "Take a live feed of 802.15.4 frames from"
            + " ZigBee sniffers and coordinators as ZEP datagrams on this UDP port (the usual one is 17754): verified"
            + " under the keys of palisade zigbee, forwarded to devices/ID/zigbee/... . Captures (palisade zigbee"
            + " ingest) are verified without it.")
    Integer zigbeePort;

    @Option(names = "--overlay-port", paramLabel = "PORT", description = "Serve the isolation overlay's tunnels on"
            + " this port (mutual TLS with device certificates; see palisade overlay and palisade tunnel open).")
    Integer overlayPort;

    @Option(names = "--modbus-refusals", paramLabel = "MODE", defaultValue = "exception", description = "How a refused"
            + " Modbus request is answered: exception (01/02/03, default) or drop (no answer).")
    String modbusRefusals;

    @Option(names = "--no-detection", description = "Turn detection off entirely.")
    boolean noDetection;

    @Override
    public void run() {
        LeakDetection.offUnlessAsked();
        ControlPlaneConfig config;
        RunningPalisade.GatewayOptions gatewayOptions;
        RunningPalisade.ClusterOptions cluster;
        try {
            cluster = clusterOptions();
            config = new ControlPlaneConfig(data, bind, httpsPort, hostNames, Optional.ofNullable(store),
                    deviceCertLifetime, failureBurst, failuresPerMinute, supersededGrace,
                    new io.palisade.control.EventRetention(eventRetention, eventMaxCount, eventBudget),
                    io.palisade.core.tamper.TamperResponse.fromWireName(tamperResponse));
            GatewayLimits gatewayLimits = GatewayLimits.defaults();
            for (Map.Entry<String, String> limit : limits.entrySet()) {
                gatewayLimits = gatewayLimits.with(limit.getKey(), limit.getValue());
            }
            if (mqttPort < 0 || mqttPort > 65535) {
                throw new IllegalArgumentException("--mqtt-port must be between 0 and 65535, got " + mqttPort);
            }
            Optional<String> upstreamUrl = Optional.ofNullable(upstream);
            upstreamUrl.ifPresent(UpstreamAddress::parse);
            if (upstreamCa != null && !java.nio.file.Files.isReadable(upstreamCa)) {
                throw new IllegalArgumentException("--upstream-ca " + upstreamCa + " is not a readable file");
            }
            Map<String, ResponseAction> actions = new LinkedHashMap<>();
            responses.forEach((rule, action) -> actions.put(rule, ResponseAction.parse(action)));
            Optional<DetectionConfig> detection = noDetection ? Optional.empty() : Optional.of(DetectionConfig.defaults()
                    .withLearningPeriod(learningPeriod).withAutoQuarantine(!noAutoQuarantine).withModel(!noModel)
                    .withResponses(actions));
            gatewayOptions = new RunningPalisade.GatewayOptions(mqttPort, upstreamUrl, Optional.ofNullable(upstreamCa),
                    gatewayLimits, detection);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(e.getMessage());
        }
        RunningPalisade palisade;
        try {
            palisade = RunningPalisade.start(config, gatewayOptions, cluster, Clock.systemUTC());
        } catch (IOException e) {
            throw new CliFailure("cannot start: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            throw new CliFailure("cannot start: " + describe(e));
        }
        // Listeners started after the core, closed in reverse order at shutdown or when a later one cannot start.
        java.util.Deque<AutoCloseable> started = new java.util.ArrayDeque<>();
        started.push(palisade);
        Optional<ModbusProxy> modbus;
        Optional<io.palisade.legacy.overlay.TunnelServer> tunnels = Optional.empty();
        Optional<io.palisade.app.CoapListener> coap = Optional.empty();
        io.palisade.app.ZigbeeListener zigbee = null;
        String failure = "cannot start the Modbus firewall";
        try {
            modbus = startModbus(palisade);
            modbus.ifPresent(started::push);
            modbusSecure.ifPresent(started::push);
            if (overlayPort != null) {
                failure = "cannot serve overlay tunnels on --overlay-port " + overlayPort;
                tunnels = Optional.of(io.palisade.app.OverlayTunnels.start(palisade,
                        new java.net.InetSocketAddress(bind, overlayPort)));
                started.push(tunnels.get());
            }
            if (coapPort != null) {
                failure = "cannot serve CoAP/DTLS on --coap-port " + coapPort;
                coap = Optional.of(io.palisade.app.CoapListener.start(palisade, new java.net.InetSocketAddress(bind,
                        coapPort), gatewayOptions.limits()));
                started.push(coap.get());
            }
            failure = zigbeePort == null ? "cannot start ZigBee verification"
                    : "cannot take the ZigBee feed on --zigbee-port " + zigbeePort;
            zigbee = io.palisade.app.ZigbeeListener.start(palisade, Optional.ofNullable(zigbeePort)
                    .map(port -> new java.net.InetSocketAddress(bind, port)), gatewayOptions.limits());
            started.push(zigbee);
            failure = "cannot take RFID readers' reports";
            started.push(io.palisade.app.RfidReports.start(palisade));
        } catch (Exception e) {
            closeAll(started);
            throw new CliFailure(failure + ": " + describe(e));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Palisade ...");
            closeAll(started);
            stopped.countDown();
        }, "palisade-shutdown"));
        DataDirectory dir = new DataDirectory(data);
        recordServerUrl(dir, palisade.controlPlane().httpsPort(), palisade.mqttPort());
        tunnels.ifPresent(server -> recordOverlayAddress(dir, server.port()));
        printBanner(dir, palisade, modbus, tunnels, coap, zigbee);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes what was started, newest first; one that fails to close does not keep the others open. */
    private void closeAll(java.util.Deque<AutoCloseable> started) {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("palisade: warning: " + describe(e));
            }
        }
    }

    /** The Modbus/TCP firewall proxy, when a PLC is given; it asks the control plane's firewall (the API's rules). */
    private Optional<ModbusProxy> startModbus(RunningPalisade palisade) throws InterruptedException {
        if (modbusPlcs.isEmpty()) {
            return Optional.empty();
        }
        if (modbusPort < 0 || modbusPort > 65535) {
            throw new IllegalArgumentException("--modbus-port must be between 0 and 65535, got " + modbusPort);
        }
        RefusalMode mode = switch (modbusRefusals) {
            case "exception" -> RefusalMode.EXCEPTION;
            case "drop" -> RefusalMode.DROP;
            default -> throw new IllegalArgumentException("--modbus-refusals is exception or drop, not '"
                    + modbusRefusals + "'");
        };
        modbusRoutes = PlcRoutes.parse(modbusPlcs);
        ControlPlane plane = palisade.controlPlane();
        // Detection's findings about an address block it from both Modbus listeners for a while.
        BlockedAddresses blocked = new BlockedAddresses(plane.eventBus().durable(), Clock.systemUTC());
        plane.eventBus().subscribe("modbus-blocks", blocked);
        plane.serveModbusBlocks(blocked); // palisade modbus blocks | unblock
        // Allowed requests are detection's traffic: a secure client's as its device's, a legacy master's as its address's.
        io.palisade.core.event.TrafficObserver traffic = palisade.detectionTraffic();
        ModbusProxy plain;
        try {
            plain = ModbusProxy.start(new java.net.InetSocketAddress(bind, modbusPort), modbusRoutes,
                    plane.modbusFirewall(), plane.eventBus(), mode, blocked, traffic, Clock.systemUTC());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen on --modbus-port " + modbusPort + ": " + describe(e), e);
        }
        if (modbusTlsPort != null) {
            try {
                var identity = plane.serverIdentity();
                modbusSecure = Optional.of(ModbusProxy.startSecure(new java.net.InetSocketAddress(bind, modbusTlsPort),
                        modbusRoutes, plane.modbusFirewall(), plane.eventBus(), mode, new SecureClients(
                                io.palisade.gateway.DeviceTls.serverContext(identity.key(), identity.chain(),
                                        plane.ca().chain()), plane.registry(), plane.policies()::isSegmentQuarantined),
                        blocked, traffic, Clock.systemUTC()));
                plane.devices().addListener(modbusSecure.get()); // quarantine and revocation cut live sessions
            } catch (javax.net.ssl.SSLException | RuntimeException e) {
                plain.close();
                throw new IllegalStateException("cannot serve Modbus/TCP Security on port " + modbusTlsPort + ": "
                        + describe(e), e);
            }
        }
        return Optional.of(plain);
    }

    /** The Modbus/TCP Security listener, when --modbus-tls-port is given. */
    private Optional<ModbusProxy> modbusSecure = Optional.empty();

    /** What the Modbus proxy routes where, once started (for the banner). */
    private PlcRoutes modbusRoutes;

    /** Where this instance listens, for the CLI and the simulator started with the same --data. */
    private void recordServerUrl(DataDirectory dir, int port, int mqttPort) {
        String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
        String authority = host.contains(":") ? "[" + host + "]" : host;
        try {
            Files.writeString(dir.root().resolve("server.url"), "https://" + authority + ":" + port + "\n",
                    StandardCharsets.US_ASCII);
            Files.writeString(dir.root().resolve(ConnectionOptions.MQTT_URL_FILE), "mqtts://" + authority + ":" + mqttPort
                    + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            System.err.println("palisade: warning: cannot record server URL: " + e.getMessage());
        }
    }

    /** Where the tunnel listener is, for {@code palisade tunnel open} on this host. */
    private void recordOverlayAddress(DataDirectory dir, int port) {
        String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
        try {
            Files.writeString(dir.root().resolve(TunnelCommand.OVERLAY_ADDRESS_FILE),
                    (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            System.err.println("palisade: warning: cannot record the overlay address: " + e.getMessage());
        }
    }

    /** One of several instances with --bus: only on a shared store and a shared upstream broker. */
    private RunningPalisade.ClusterOptions clusterOptions() {
        if (bus == null) {
            if (instance != null) {
                throw new IllegalArgumentException("--instance names this instance among several; it needs --bus");
            }
            return RunningPalisade.ClusterOptions.SINGLE;
        }
        io.palisade.cluster.KafkaBusUrl url = io.palisade.cluster.KafkaBusUrl.parse(bus);
        if (store == null || !store.startsWith("postgresql://")) {
            throw new IllegalArgumentException("--bus needs --store postgresql://...: the instances share one store"
                    + " (a SQLite file belongs to one process)");
        }
        if (upstream == null) {
            throw new IllegalArgumentException("--bus needs --upstream: the instances share one broker (each embedded"
                    + " broker would keep its devices' messages to itself)");
        }
        String name = instance != null ? instance : defaultInstanceName();
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("--instance must be 1 to 64 letters, digits, '.', '_' or '-', got '"
                    + name + "'");
        }
        return new RunningPalisade.ClusterOptions(Optional.of(url), name);
    }

    private static String defaultInstanceName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
        } catch (java.net.UnknownHostException e) {
            host = "palisade";
        }
        return (host.length() > 40 ? host.substring(0, 40) : host) + "-" + ProcessHandle.current().pid();
    }

    private void printBanner(DataDirectory dir, RunningPalisade palisade, Optional<ModbusProxy> modbus,
                             Optional<io.palisade.legacy.overlay.TunnelServer> tunnels,
                             Optional<io.palisade.app.CoapListener> coap, io.palisade.app.ZigbeeListener zigbee) {
        ControlPlane plane = palisade.controlPlane();
        // A URL a client can use: listening on every address, name this host rather than 0.0.0.0.
        boolean everywhere = bind.equals("0.0.0.0") || bind.equals("::");
        String shown = everywhere ? (hostNames.isEmpty() ? "localhost" : hostNames.get(0)) : bind;
        String host = shown.contains(":") ? "[" + shown + "]" : shown;
        System.out.println("Palisade is running" + (everywhere ? " (listening on every address of this host)" : ""));
        System.out.println("  HTTPS          https://" + host + ":" + plane.httpsPort()
                + "   web console /, EST /.well-known/est/, API /api/v1/, CRL /pki/crl");
        System.out.println("  MQTT (mTLS)    mqtts://" + host + ":" + palisade.mqttPort() + "   devices connect here");
        System.out.println("  upstream       " + palisade.upstreamDescription());
        modbus.ifPresent(proxy -> System.out.println("  Modbus/TCP     port " + proxy.port() + ": "
                + modbusRoutes.describe() + "  (rules: palisade modbus list; refused requests: " + modbusRefusals + ")"));
        modbusSecure.ifPresent(proxy -> System.out.println("  Modbus/TLS     port " + proxy.port()
                + ": Modbus/TCP Security, device certificates required, the same PLCs and rules"));
        coap.ifPresent(listener -> System.out.println("  CoAP/DTLS      coaps://" + host + ":" + listener.port()
                + "   devices with a PSK, raw public key or certificate: POST /ps/TOPIC"));
        zigbee.feedPort().ifPresent(port -> System.out.println("  ZigBee feed    udp port " + port
                + ": ZEP from sniffers and coordinators (keys and bindings: palisade zigbee)"));
        tunnels.ifPresent(server -> System.out.println("  overlay        port " + server.port() + ": tunnels to legacy"
                + " hosts (palisade overlay grant; clients: palisade tunnel open)"));
        System.out.println("  detection      " + (noDetection ? "off" : "on, learning period " + learningPeriod.toString()
                .substring(2).toLowerCase(java.util.Locale.ROOT) + ", learned model " + (noModel ? "off" : "on")
                + ", automatic quarantine " + (noAutoQuarantine ? "off (approval)" : "on")));
        System.out.println("  data directory " + dir.root());
        System.out.println("  store          " + plane.storeDescription());
        System.out.println("  instances      " + palisade.clusterDescription());
        System.out.println("  descriptors    " + palisade.descriptorBudget());
        System.out.println("  CA certificate " + dir.rootCaFile() + "  (SHA-256 " + fingerprint(plane.ca().root()) + ")");
        System.out.println("  admin token    " + dir.adminTokenFile());
        plane.localApiSocket().ifPresent(socket ->
                System.out.println("  local API      " + socket + "  (commands on this host use it: no TLS handshake)"));
        System.out.println("Press Ctrl-C to stop.");
        System.out.flush();
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
            return "unavailable";
        }
    }

    private String describe(Throwable e) {
        String message = Errors.rootMessage(e);
        if (!message.contains("Address already in use")) {
            return message;
        }
        // Netty's bind error names no port: name the ones this start asked for.
        return "a port is already in use on " + bind + " (HTTPS " + httpsPort + ", MQTT " + mqttPort
                + "); stop what holds it, or pick others with --https-port and --mqtt-port";
    }
}
