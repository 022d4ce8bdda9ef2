package io.palisade.bench;

import io.palisade.core.policy.PolicyBook;
import io.palisade.gateway.DeviceTls;
import io.palisade.gateway.GatewayLimits;
import io.palisade.gateway.MqttGateway;
import io.palisade.gateway.UpstreamAddress;
import io.palisade.pki.Pem;
import io.palisade.store.Database;
import io.palisade.store.SqlDeviceRegistry;
import io.palisade.store.StoreUrl;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The gateway alone in its own JVM, so that its resident memory can be read from outside:
 * {@code GatewayProcess DIR UPSTREAM_PORT|UPSTREAM_URL [DEFAULT|UNTHROTTLED] [DETECT]}. Prints {@code PORT n} when
 * listening and stops when its standard input closes. {@code DIR} holds {@code bench.db} (the device
 * registry), {@code server.key}, {@code server-chain.pem} and {@code ca.pem}.
 */
public final class GatewayProcess {

    /** DEFAULT: the shipped per-device quotas; UNTHROTTLED: quotas far above any offered load. */
    enum Quotas { DEFAULT, UNTHROTTLED }

    private GatewayProcess() {
    }

    public static void main(String[] args) throws Exception {
        io.palisade.gateway.LeakDetection.offUnlessAsked(); // as `palisade up` does
        Path dir = Path.of(args[0]);
        Quotas quotas = args.length > 2 ? Quotas.valueOf(args[2]) : Quotas.DEFAULT;
        GatewayLimits limits = GatewayLimits.defaults().withConnectionLimits(100_000, 100_000, 100_000);
        if (quotas == Quotas.UNTHROTTLED) {
            // So that a benchmark measures the data path, not the throttle.
            limits = limits.withMessageRate(1_000_000, 1_000_000).with("bytes-per-second", "1e12");
        }
        // DETECT: the detector watches events and every PUBLISH, as in `palisade up` (alerting only here).
        boolean detect = args.length > 3 && args[3].equals("DETECT");
        io.palisade.detect.Detector detector = detect ? new io.palisade.detect.Detector(
                io.palisade.detect.DetectionConfig.defaults().withAutoQuarantine(false), (device, reason) -> { },
                e -> { }, Clock.systemUTC(), System::nanoTime) : null;
        UpstreamAddress upstream = UpstreamAddress.parse(args[1].matches("\\d+") ? "mqtt://127.0.0.1:" + args[1] : args[1]);
        if (upstream.tls()) {
            upstream = upstream.withTrustAnchors(Pem.readCertificates(dir.resolve("ca.pem")));
        }
        try (Database database = Database.open(StoreUrl.sqlite(dir.resolve("bench.db")));
             MqttGateway gateway = MqttGateway.start(new InetSocketAddress("127.0.0.1", 0),
                     DeviceTls.serverContext(Pem.readPrivateKey(dir.resolve("server.key")),
                             Pem.readCertificates(dir.resolve("server-chain.pem")), Pem.readCertificates(dir.resolve("ca.pem"))),
                     upstream, limits, new PolicyBook(),
                     new SqlDeviceRegistry(database), detect ? detector::onEvent : e -> { },
                     detect ? detector : io.palisade.core.event.TrafficObserver.NONE, Clock.systemUTC())) {
            System.out.println("PORT " + gateway.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Run until the parent closes our standard input.
            }
        }
    }
}
