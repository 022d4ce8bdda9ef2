package io.palisade.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * CoAP over DTLS through Palisade ({@code ./palisade up --coap-port}, a device with a PSK from {@code device add
 * --psk}, publishing into the embedded broker) beside Californium's own DTLS server with a static PSK and a resource
 * that does nothing ({@link CoapPeerServer}, in its own JVM). Measured with Californium clients: full PSK handshakes
 * per second (one client, the connection state cleared before each request), and POSTs per second with
 * {@code clients} clients, each over its own DTLS session, in a closed loop. Each server's CPU is printed beside.
 */
final class CoapBench {

    private static final double SECONDS = Double.parseDouble(System.getProperty("coapSeconds", "8"));
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        CoapConfig.register();
        DtlsConfig.register();
    }

    private CoapBench() {
    }

    /** The DTLS settings of Palisade's listener, for the peer server and (as client) for the load. */
    static Configuration configuration(DtlsConfig.DtlsRole role) {
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(DtlsConfig.DTLS_ROLE, role);
        config.set(DtlsConfig.DTLS_USE_HELLO_VERIFY_REQUEST, true);
        config.set(DtlsConfig.DTLS_USE_HELLO_VERIFY_REQUEST_FOR_PSK, true);
        config.setAsList(DtlsConfig.DTLS_CIPHER_SUITES, CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256,
                CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_PSK_WITH_AES_128_CCM_8);
        return config;
    }

    record Result(double perSecond, double p50Millis, double p99Millis, double serverCpu) {
    }

    static void run(int clients) throws Exception {
        Path root = Path.of(System.getProperty("palisade.root", ".")).toAbsolutePath().normalize();
        Path dir = Files.createTempDirectory("palisade-coap-bench");
        Path data = dir.resolve("data");
        int coapPort = CliBench.freePort();
        System.out.println("== CoAP over DTLS (PSK): Palisade's listener vs Californium's own DTLS server ==");
        Process palisade = CliBench.start(List.of(root.resolve("palisade").toString(), "up", "--data", data.toString(),
                "--bind", "127.0.0.1", "--https-port", Integer.toString(CliBench.freePort()), "--mqtt-port",
                Integer.toString(CliBench.freePort()), "--coap-port", Integer.toString(coapPort),
                // quotas out of the way: this measures the data path, not the policy that throttles a device
                "--limit", "messages-per-second=1000000", "--limit", "message-burst=1000000", "--limit",
                "connects-per-second-per-address=1000000"));
        Process peer = null;
        try {
            String psk = JSON.readTree(output(root.resolve("palisade").toString(), "device", "add", "bench-1", "--psk",
                    "--json", "--data", data.toString())).path("psk").asText();
            peer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), CoapPeerServer.class.getName(), "bench-1", psk)
                    .redirectErrorStream(true).start();
            BufferedReader peerOut = new BufferedReader(new InputStreamReader(peer.getInputStream(),
                    StandardCharsets.UTF_8));
            int peerPort = readyPort(peerOut);
            String palisadeUri = "coaps://127.0.0.1:" + coapPort + "/ps/devices/bench-1/temp";
            String peerUri = "coaps://127.0.0.1:" + peerPort + "/ps/devices/bench-1/temp";

            Result ours = handshakes(palisadeUri, psk, palisade.pid());
            Result theirs = handshakes(peerUri, psk, peer.pid());
            print("full PSK handshakes + 1 POST, 1 client", "handshakes/s", ours, theirs);
            for (int concurrency : new int[] {1, clients}) {
                Result through = requests(palisadeUri, psk, concurrency, palisade.pid());
                Result direct = requests(peerUri, psk, concurrency, peer.pid());
                print("POST /ps/TOPIC, " + concurrency + " client" + (concurrency == 1 ? "" : "s"), "req/s", through,
                        direct);
            }
        } finally {
            if (peer != null) {
                peer.destroy();
                peer.waitFor(5, TimeUnit.SECONDS);
            }
            CliBench.stop(palisade);
        }
        System.out.println();
    }

    /** The port in the peer's {@code ready PORT} line (Californium logs before it). */
    private static int readyPort(BufferedReader peerOut) throws java.io.IOException {
        for (String line = peerOut.readLine(); line != null; line = peerOut.readLine()) {
            if (line.startsWith("ready ")) {
                return Integer.parseInt(line.substring("ready ".length()));
            }
        }
        throw new IllegalStateException("the Californium peer server ended before it listened");
    }

    private static void print(String what, String unit, Result palisade, Result peer) {
        System.out.printf("  %s: Palisade %,.0f %s p50 %.2f ms p99 %.2f ms (%.0f%% CPU)  |  Californium %,.0f %s p50 %.2f"
                        + " ms p99 %.2f ms (%.0f%% CPU)  |  ratio %.2fx%n", what, palisade.perSecond(), unit,
                palisade.p50Millis(), palisade.p99Millis(), palisade.serverCpu() * 100, peer.perSecond(), unit,
                peer.p50Millis(), peer.p99Millis(), peer.serverCpu() * 100, palisade.perSecond() / peer.perSecond());
    }

    /** One client; its DTLS state cleared before each request, so each request costs a full handshake. */
    private static Result handshakes(String uri, String psk, long serverPid) throws Exception {
        try (Client client = new Client(uri, psk)) {
            client.post(); // warm-up
            long end = System.nanoTime() + (long) (SECONDS * 1e9);
            List<Long> latencies = new ArrayList<>();
            long cpuBefore = CpuTicks.ofTree(serverPid);
            long start = System.nanoTime();
            while (System.nanoTime() < end) {
                client.connector.clearConnectionState();
                client.coap.setDestinationContext(null); // the next request may not insist on the cleared session
                long began = System.nanoTime();
                client.post();
                latencies.add(System.nanoTime() - began);
            }
            return result(latencies, start, cpuBefore, serverPid);
        }
    }

    private static Result requests(String uri, String psk, int concurrency, long serverPid) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                Client client = new Client(uri, psk);
                client.post(); // its handshake, before the clock
                clients.add(client);
            }
            long end = System.nanoTime() + (long) (SECONDS * 1e9);
            long cpuBefore = CpuTicks.ofTree(serverPid);
            long start = System.nanoTime();
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (Client client : clients) {
                futures.add(pool.submit(() -> {
                    List<Long> latencies = new ArrayList<>();
                    while (System.nanoTime() < end) {
                        long began = System.nanoTime();
                        client.post();
                        latencies.add(System.nanoTime() - began);
                    }
                    return latencies;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> future : futures) {
                all.addAll(future.get());
            }
            Result result = result(all, start, cpuBefore, serverPid);
            clients.forEach(Client::close);
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Result result(List<Long> latencies, long start, long cpuBefore, long serverPid) throws Exception {
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = (CpuTicks.ofTree(serverPid) - cpuBefore) / (double) CpuTicks.PER_SECOND / elapsed;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(sorted.length / elapsed, sorted[sorted.length / 2] / 1e6,
                sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6, cpu);
    }

    /** A Californium client with its own DTLS connector (its own session). */
    private static final class Client implements AutoCloseable {
        final DTLSConnector connector;
        final CoapClient coap;
        final CoapEndpoint endpoint;

        Client(String uri, String psk) {
            Configuration config = configuration(DtlsConfig.DtlsRole.CLIENT_ONLY);
            connector = new DTLSConnector(DtlsConnectorConfig.builder(config)
                    .setAddress(new InetSocketAddress("127.0.0.1", 0))
                    .setAdvancedPskStore(new AdvancedSinglePskStore("bench-1", psk.getBytes(StandardCharsets.US_ASCII)))
                    .build());
            endpoint = new CoapEndpoint.Builder().setConfiguration(config).setConnector(connector).build();
            coap = new CoapClient(uri).setEndpoint(endpoint).setTimeout(10_000L);
        }

        void post() throws Exception {
            CoapResponse response = coap.post("21.5", MediaTypeRegistry.TEXT_PLAIN);
            if (response == null || response.getCode() != ResponseCode.CHANGED) {
                throw new IllegalStateException("POST answered " + (response == null ? "nothing" : response.getCode()
                        + " " + response.getResponseText()));
            }
        }

        @Override
        public void close() {
            coap.shutdown();
            endpoint.destroy();
        }
    }

    private static String output(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
        return out;
    }
}
