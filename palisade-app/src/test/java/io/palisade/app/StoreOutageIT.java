package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.palisade.control.ControlPlaneConfig;
import io.palisade.gateway.GatewayLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store goes away under traffic and comes back: devices keep publishing through it, the health endpoint
 * says degraded, the API answers 503 instead of hanging, every security event raised meanwhile is stored
 * once the store is back, and none of it needs Palisade to restart. Run on PostgreSQL (a server of the
 * test's own, stopped for 12 s the way a restart does) and on SQLite (the database file write-locked by an
 * independent {@code sqlite3} process for 12 s; as root, taking away the file's write permission would
 * change nothing, since root and the already open descriptor ignore it).
 */
class StoreOutageIT {

    private static final int DEVICES = 10;
    private static final int RATE = 20;
    private static final Duration OUTAGE = Duration.ofSeconds(12);

    @TempDir
    Path dir;

    /** Takes the store away and gives it back. */
    interface Outage {
        void begin() throws Exception;

        void end() throws Exception;
    }

    @Test
    void a_postgresql_restart_under_traffic_loses_no_event_and_needs_no_restart_of_palisade() throws Exception {
        try (PrivatePostgres postgres = PrivatePostgres.start()) {
            ControlPlaneConfig config = ControlPlaneConfig.defaults(dir.resolve("data")).withPort(0)
                    .withBindAddress("127.0.0.1").withStore(postgres.storeUrl());
            survives(config, new Outage() {
                @Override
                public void begin() throws Exception {
                    postgres.stopServer();
                }

                @Override
                public void end() throws Exception {
                    postgres.startServer();
                }
            });
        }
    }

    @Test
    void a_sqlite_store_locked_by_another_process_loses_no_event() throws Exception {
        ControlPlaneConfig config = ControlPlaneConfig.defaults(dir.resolve("data")).withPort(0)
                .withBindAddress("127.0.0.1");
        survives(config, new Outage() {
            private Process locker;

            @Override
            public void begin() throws Exception {
                locker = new ProcessBuilder("sqlite3", dir.resolve("data/palisade.db").toString())
                        .redirectErrorStream(true).start();
                locker.getOutputStream().write("BEGIN EXCLUSIVE;\nSELECT 'locked';\n".getBytes(StandardCharsets.US_ASCII));
                locker.getOutputStream().flush();
                byte[] said = new byte[7];
                assertThat(locker.getInputStream().readNBytes(said, 0, 6)).as("sqlite3 holds the write lock").isEqualTo(6);
                assertThat(new String(said, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("locked");
            }

            @Override
            public void end() throws Exception {
                locker.getOutputStream().write("ROLLBACK;\n.quit\n".getBytes(StandardCharsets.US_ASCII));
                locker.getOutputStream().close();
                assertThat(locker.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
        });
    }

    private void survives(ControlPlaneConfig config, Outage outage) throws Exception {
        // Detection asks before it quarantines (as in StoreStallIT): the refused publish each device makes every
        // second would get it quarantined within a minute, and the accounting below counts refusals it made.
        RunningPalisade.GatewayOptions gateway = new RunningPalisade.GatewayOptions(0, Optional.empty(), Optional.empty(),
                GatewayLimits.defaults().with("connects-per-second-per-address", "10000"),
                Optional.of(io.palisade.detect.DetectionConfig.defaults().withAutoQuarantine(false)));
        Map<String, Long> refusedSent = new TreeMap<>();
        try (RunningPalisade palisade = RunningPalisade.start(config, gateway, Clock.systemUTC())) {
            List<TickingDevice> devices = new ArrayList<>();
            for (int i = 0; i < DEVICES; i++) {
                devices.add(new TickingDevice(palisade, EstEnrollment.enroll(palisade, dir, "out-" + i), "out-" + i, RATE));
            }
            Api api = new Api(palisade, dir.resolve("out-0/ca.pem"), config.dataDir().resolve("admin.token"));
            ScheduledExecutorService ticks = Executors.newScheduledThreadPool(2);
            try {
                for (TickingDevice device : devices) {
                    ticks.scheduleAtFixedRate(device::tick, 0, 1000 / RATE, TimeUnit.MILLISECONDS);
                }
                Thread.sleep(3_000);
                assertThat(api.get("health").body()).contains("\"status\":\"ok\"");

                long sentBefore = total(devices, d -> d.sent);
                long ackedBefore = total(devices, d -> d.acknowledged);
                long outageStart = System.nanoTime();
                outage.begin();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(api.get("health").body()).contains("\"status\":\"degraded\"").contains("\"state\":\"unavailable\""));
                assertThat(api.addDevice("added-late").status()).as("an API call writing to the store").isEqualTo(503);
                Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - outageStart) / 1_000_000));
                long sentDuring = total(devices, d -> d.sent) - sentBefore;
                long ackedDuring = total(devices, d -> d.acknowledged) - ackedBefore;
                System.out.printf("store outage of %d s: %d of %d QoS 1 publishes acknowledged meanwhile; %s%n",
                        OUTAGE.toSeconds(), ackedDuring, sentDuring, api.get("health").body());
                assertThat(ackedDuring).as("devices keep flowing while the store is away")
                        .isGreaterThanOrEqualTo(sentDuring * 9 / 10);
                outage.end();

                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(api.get("health").body()).contains("\"status\":\"ok\"").contains("\"spooled\":0"));
                assertThat(api.addDevice("added-late").status()).as("the API works again without a restart").isEqualTo(201);
                assertThat(api.get("health").body()).contains("\"lost\":0");
            } finally {
                ticks.shutdown();
                assertThat(ticks.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
                for (TickingDevice device : devices) {
                    device.close();
                    refusedSent.put(device.id, device.refusedSent);
                    assertThat(device.acknowledged).as("QoS 1 publishes of " + device.id + " acknowledged").isEqualTo(device.sent);
                }
            }
            for (int i = 0; i < 100 && devices.stream().anyMatch(d -> palisade.isConnected(d.id)); i++) {
                Thread.sleep(100);
            }
        }
        try (RunningPalisade again = RunningPalisade.start(config, gateway, Clock.systemUTC())) {
            assertThat(TickingDevice.denialsCountedInStore(again)).as("refused publishes per device in the store,"
                    + " those raised during the outage included").isEqualTo(refusedSent);
        }
    }

    private static long total(List<TickingDevice> devices, java.util.function.ToLongFunction<TickingDevice> count) {
        return devices.stream().mapToLong(count).sum();
    }

    /** The admin API through curl, an independent client. */
    private record Api(RunningPalisade palisade, Path ca, Path tokenFile) {

        record Reply(int status, String body) {
        }

        Reply get(String path) throws Exception {
            return curl(path);
        }

        Reply addDevice(String id) throws Exception {
            return curl("devices", "-H", "Content-Type: application/json", "--data", "{\"id\":\"" + id + "\"}");
        }

        private Reply curl(String path, String... more) throws Exception {
            String token = Files.readString(tokenFile).trim();
            List<String> command = new ArrayList<>(List.of("curl", "-s", "--max-time", "20", "--cacert", ca.toString(),
                    "-H", "Authorization: Bearer " + token, "-w", "\n%{http_code}"));
            command.addAll(List.of(more));
            command.add("https://localhost:" + palisade.controlPlane().httpsPort() + "/api/v1/" + path);
            Processes.Result curl = Processes.run(command);
            String output = curl.output();
            int split = output.lastIndexOf('\n');
            return new Reply(Integer.parseInt(output.substring(split + 1).trim()), output.substring(0, split));
        }
    }
}
