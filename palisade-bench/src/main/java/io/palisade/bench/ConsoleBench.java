package io.palisade.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.pki.Pem;
import io.palisade.pki.TlsPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;

/**
 * How long the web console takes to render what an operator opens, measured from a client over HTTPS with
 * keep-alive: the fleet inventory of {@code consoleDevices} devices and a device page, beside the JSON API read the
 * inventory is built from, and beside nginx serving the very same inventory HTML as a static file over TLS (the
 * peer: what sending those bytes costs with no rendering at all). One client (latency) and {@code consoleClients}
 * clients (throughput); each server's CPU share is printed beside its figure. Palisade runs as {@code ./palisade up}
 * in its own process.
 */
final class ConsoleBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double SECONDS = Double.parseDouble(System.getProperty("consoleSeconds", "8"));

    private ConsoleBench() {
    }

    record Result(double pagesPerSecond, double p50Millis, double p99Millis, double serverCpu, int bytes) {
    }

    static void run(int devices, int clients) throws Exception {
        Path root = Path.of(System.getProperty("palisade.root", ".")).toAbsolutePath().normalize();
        Path dir = Files.createTempDirectory("palisade-console-bench");
        Path data = dir.resolve("data");
        int https = CliBench.freePort();
        System.out.println("== Web console: page render time, " + devices + " devices, over HTTPS with keep-alive ==");
        Process palisade = CliBench.start(List.of(root.resolve("palisade").toString(), "up", "--data", data.toString(),
                "--bind", "127.0.0.1", "--https-port", Integer.toString(https), "--mqtt-port",
                Integer.toString(CliBench.freePort())));
        Process nginx = null;
        try {
            String base = "https://127.0.0.1:" + https;
            SSLContext tls = TlsPolicy.clientContext(Pem.readCertificates(data.resolve("ca/root.crt")));
            HttpClient admin = HttpClient.newBuilder().sslContext(tls).build();
            String token = Files.readString(data.resolve("admin.token")).strip();
            for (int i = 0; i < devices; i++) {
                post(admin, base + "/api/v1/devices", token, "{\"id\":\"dev-" + String.format("%05d", i)
                        + "\",\"profile\":\"sensor\",\"segment\":\"line-" + (i % 8) + "\",\"tags\":[\"bench\"]}");
            }
            String password = JSON.readTree(post(admin, base + "/api/v1/operators", token,
                    "{\"name\":\"bench\",\"role\":\"admin\"}")).path("password").asText();
            String cookie = signIn(admin, base, password);
            byte[] inventory = get(admin, base + "/", cookie);
            Path www = Files.createDirectories(dir.resolve("www"));
            Files.write(www.resolve("inventory.html"), inventory);
            // nginx's worker drops to an unprivileged user: it must be able to reach the page (the rest stays 0700).
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(www, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(www.resolve("inventory.html"),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            int nginxPort = CliBench.freePort();
            nginx = startNginx(dir, nginxPort);
            SSLContext nginxTls = TlsPolicy.clientContext(Pem.readCertificates(dir.resolve("nginx.crt")));
            long palisadePid = palisade.pid();
            long nginxPid = nginx.pid();

            for (int concurrency : new int[] {1, clients}) {
                System.out.printf("  %d client%s:%n", concurrency, concurrency == 1 ? "" : "s");
                Result page = measure(tls, base + "/", cookie, concurrency, palisadePid);
                Result device = measure(tls, base + "/devices/dev-00007", cookie, concurrency, palisadePid);
                Result api = measure(tls, base + "/api/v1/devices", "Bearer " + token, concurrency, palisadePid);
                Result peer = measure(nginxTls, "https://127.0.0.1:" + nginxPort + "/inventory.html", null, concurrency,
                        nginxPid);
                print("inventory page (console)", page);
                print("device page (console)", device);
                print("GET /api/v1/devices (JSON)", api);
                print("same HTML, static (nginx)", peer);
                System.out.printf("    inventory page vs nginx static: %.2fx the time per page (p50), %.2fx the pages/s%n",
                        page.p50Millis() / peer.p50Millis(), page.pagesPerSecond() / peer.pagesPerSecond());
            }
        } finally {
            if (nginx != null) {
                nginx.destroy();
            }
            CliBench.stop(palisade);
        }
        System.out.println();
    }

    private static void print(String what, Result result) {
        System.out.printf("    %-28s %,8.0f pages/s  p50 %6.1f ms  p99 %6.1f ms  %,9d bytes  (server %3.0f%% CPU)%n",
                what, result.pagesPerSecond(), result.p50Millis(), result.p99Millis(), result.bytes(),
                result.serverCpu() * 100);
    }

    /** {@code concurrency} clients, each its own keep-alive connection, fetching for {@link #SECONDS} after a warm-up. */
    private static Result measure(SSLContext tls, String url, String credential, int concurrency, long serverPid)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            run(pool, tls, url, credential, concurrency, 2); // warm-up: JIT, connections
            long cpuBefore = CpuTicks.ofTree(serverPid);
            long start = System.nanoTime();
            List<Long> latencies = run(pool, tls, url, credential, concurrency, SECONDS);
            double elapsed = (System.nanoTime() - start) / 1e9;
            double cpu = (CpuTicks.ofTree(serverPid) - cpuBefore) / (double) CpuTicks.PER_SECOND / elapsed;
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            int bytes = fetch(client(tls), url, credential).length;
            return new Result(sorted.length / elapsed, sorted[sorted.length / 2] / 1e6,
                    sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6, cpu, bytes);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Long> run(ExecutorService pool, SSLContext tls, String url, String credential, int concurrency,
                                  double seconds) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            futures.add(pool.submit(() -> {
                HttpClient client = client(tls);
                List<Long> latencies = new ArrayList<>();
                while (System.nanoTime() < end) {
                    long began = System.nanoTime();
                    fetch(client, url, credential);
                    latencies.add(System.nanoTime() - began);
                }
                return latencies;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> future : futures) {
            all.addAll(future.get());
        }
        return all;
    }

    private static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build();
    }

    private static byte[] fetch(HttpClient client, String url, String credential) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (credential != null) {
            request.header(credential.startsWith("Bearer ") ? "Authorization" : "Cookie", credential);
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
        return response.body();
    }

    private static byte[] get(HttpClient client, String url, String cookie) throws Exception {
        return fetch(client, url, cookie);
    }

    private static String post(HttpClient client, String url, String token, String json) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** Signs in through the console's login form; answers the Cookie header value of the session. */
    private static String signIn(HttpClient client, String base, String password) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=bench&password="
                        + URLEncoder.encode(password, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        String setCookie = response.headers().firstValue("set-cookie")
                .orElseThrow(() -> new IllegalStateException("the console login answered " + response.statusCode()));
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    /** nginx (Debian nginx-light) serving {@code dir/www} over TLS 1.3 with a P-256 certificate, one worker. */
    private static Process startNginx(Path dir, int port) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/sbin/nginx"))) {
            throw new IllegalStateException("the console benchmark's peer is nginx: apt-get install nginx-light");
        }
        exec(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "nginx.key", "-out", "nginx.crt", "-subj", "/CN=127.0.0.1", "-addext",
                "subjectAltName=IP:127.0.0.1", "-days", "2");
        Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
                "daemon off;", "worker_processes 1;", "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("nginx-error.log") + ";", "events { worker_connections 256; }",
                "http {", "  access_log off;", "  client_body_temp_path " + dir + "/tmp-body;",
                "  proxy_temp_path " + dir + "/tmp-proxy;", "  fastcgi_temp_path " + dir + "/tmp-fcgi;",
                "  uwsgi_temp_path " + dir + "/tmp-uwsgi;", "  scgi_temp_path " + dir + "/tmp-scgi;",
                "  keepalive_requests 1000000;", "  types { text/html html; }",
                "  server {", "    listen 127.0.0.1:" + port + " ssl;", "    ssl_certificate " + dir.resolve("nginx.crt") + ";",
                "    ssl_certificate_key " + dir.resolve("nginx.key") + ";", "    ssl_protocols TLSv1.3;",
                "    root " + dir.resolve("www") + ";", "  }", "}", ""));
        Process nginx = new ProcessBuilder("/usr/sbin/nginx", "-p", dir.toString(), "-c",
                dir.resolve("nginx.conf").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile()).start();
        for (int i = 0; i < 100; i++) {
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                return nginx;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nginx did not start: " + Files.readString(dir.resolve("nginx.out")));
    }

    private static void exec(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(Arrays.toString(command) + " failed: " + out);
        }
    }
}
