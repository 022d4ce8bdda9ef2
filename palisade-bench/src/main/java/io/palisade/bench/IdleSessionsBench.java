package io.palisade.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.palisade.core.device.DeviceId;
import io.palisade.pki.ca.DirectIssuance;
import io.palisade.pki.est.DeviceCredentials;
import io.palisade.store.Database;
import io.palisade.store.SqlDeviceRegistry;
import io.palisade.store.StoreUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N idle mutual-TLS MQTT sessions held open: resident memory of the gateway process per session,
 * beside Mosquitto's resident memory per session for the same N sessions on its own mTLS listener.
 *
 * <p>With {@code -Dgateways=N} the sessions are spread over N gateway processes (device i to gateway i mod N),
 * each reported on its own: what several instances on one machine hold together.
 *
 * <p>Each gateway session holds two sockets (device and its upstream connection), so a process
 * limited to F open files can hold at most about F/2 sessions; the run says when the machine's
 * limit is what stops it. With {@code -Dupstream=plain-mux} the sessions of each event loop share one upstream
 * connection ({@code ?mux=1}), and a session holds one socket.
 */
final class IdleSessionsBench {

    private IdleSessionsBench() {
    }

    static void run(int sessions) throws Exception {
        Path dir = Files.createTempDirectory("palisade-bench-idle");
        BenchPki pki = new BenchPki(dir);
        List<DeviceCredentials> devices = new ArrayList<>();
        try (Database database = Database.open(StoreUrl.sqlite(dir.resolve("bench.db")))) {
            SqlDeviceRegistry registry = new SqlDeviceRegistry(database);
            for (int i = 0; i < sessions; i++) {
                devices.add(DirectIssuance.issue(registry, pki.ca, DeviceId.of("idle-" + i), "default", "default"));
            }
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        int gatewayCount = Integer.getInteger("gateways", 1);
        List<ForkedGateway> gateways = new ArrayList<>();
        try (MosquittoPeer mosquitto = new MosquittoPeer(pki, dir)) {
            try {
                for (int g = 0; g < gatewayCount; g++) {
                    gateways.add(new ForkedGateway(gatewayCount == 1 ? dir : ScaleBench.gatewayDir(dir, g),
                            GatewayBench.upstream(System.getProperty("upstream", "plain"), mosquitto),
                            GatewayProcess.Quotas.DEFAULT, false));
                }
                long[] before = new long[gatewayCount];
                for (int g = 0; g < gatewayCount; g++) {
                    gateways.get(g).gc();
                    before[g] = ProcessMemory.residentBytes(gateways.get(g).pid());
                }
                long mosquittoBefore = mosquitto.residentBytes();
                int[] viaGateway = new int[gatewayCount];
                for (int g = 0; g < gatewayCount; g++) { // device i to gateway i mod N
                    List<DeviceCredentials> share = new ArrayList<>();
                    for (int i = g; i < devices.size(); i += gatewayCount) {
                        share.add(devices.get(i));
                    }
                    viaGateway[g] = connectAll(group, pki, share, gateways.get(g).port());
                }
                long mosquittoWithUpstreams = mosquitto.residentBytes();
                System.out.println("== " + sessions + " idle mTLS MQTT sessions through " + gatewayCount
                        + " gateway process(es), upstream " + System.getProperty("upstream", "plain") + " ==");
                int total = 0;
                for (int g = 0; g < gatewayCount; g++) {
                    gateways.get(g).gc();
                    long after = ProcessMemory.residentBytes(gateways.get(g).pid());
                    total += viaGateway[g];
                    System.out.printf("%-52s %8d%n", "sessions established through gateway " + (g + 1), viaGateway[g]);
                    System.out.printf("%-52s %8.0f MiB (%d bytes per session)%n", "  its process RSS",
                            after / 1048576.0, (after - before[g]) / Math.max(1, viaGateway[g]));
                }
                System.out.printf("%-52s %8d%n", "sessions held in all", total);
                System.out.printf("%-52s %8.0f MiB%n", "  (Mosquitto behind them, plain sessions)",
                        (mosquittoWithUpstreams - mosquittoBefore) / 1048576.0);
                closeAll(group);

                int direct = connectAll(group, pki, devices, mosquitto.tlsPort);
                long mosquittoDirect = mosquitto.residentBytes();
                System.out.printf("%-52s %8d%n", "sessions established straight into Mosquitto mTLS", direct);
                System.out.printf("%-52s %8.0f MiB (%d bytes per session)%n", "Mosquitto (peer) RSS growth",
                        (mosquittoDirect - mosquittoBefore) / 1048576.0,
                        (mosquittoDirect - mosquittoBefore) / Math.max(1, direct));
                System.out.println();
            } finally {
                for (ForkedGateway gateway : gateways) {
                    gateway.close();
                }
            }
        } finally {
            group.shutdownGracefully().syncUninterruptibly();
        }
    }

    private static final List<Channel> OPEN = new ArrayList<>();

    /** Opens one session per device, 100 at a time, and returns how many got CONNACK 0. */
    private static int connectAll(EventLoopGroup group, BenchPki pki, List<DeviceCredentials> devices, int port)
            throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        int batch = 100;
        for (int start = 0; start < devices.size(); start += batch) {
            int end = Math.min(devices.size(), start + batch);
            for (int i = start; i < end; i++) {
                DeviceCredentials device = devices.get(i);
                SslContext tls = SslContextBuilder.forClient()
                        .keyManager(device.key(), device.certificate())
                        .trustManager(pki.ca.chain().toArray(X509Certificate[]::new))
                        .protocols("TLSv1.3").build();
                String id = DeviceId.class.cast(io.palisade.pki.DeviceIdentity.of(device.certificate()).orElseThrow())
                        .value();
                Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(tls.newHandler(ch.alloc(), "localhost", port),
                                        new MqttDecoder(), MqttEncoder.INSTANCE, new IdleClient(id, accepted, finished));
                            }
                        }).connect("127.0.0.1", port).sync().channel();
                OPEN.add(channel);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (finished.get() < end && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        Thread.sleep(2000);
        return accepted.get();
    }

    private static void closeAll(EventLoopGroup group) throws InterruptedException {
        for (Channel channel : OPEN) {
            channel.close();
        }
        for (Channel channel : OPEN) {
            channel.closeFuture().await(5, TimeUnit.SECONDS);
        }
        OPEN.clear();
        Thread.sleep(3000);
    }

    /** Sends CONNECT after the handshake and counts the CONNACK; then stays idle. */
    private static final class IdleClient extends ChannelInboundHandlerAdapter {
        private final String id;
        private final AtomicInteger accepted;
        private final AtomicInteger finished;

        IdleClient(String id, AtomicInteger accepted, AtomicInteger finished) {
            this.id = id;
            this.accepted = accepted;
            this.finished = finished;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent handshake) {
                if (handshake.isSuccess()) {
                    ctx.writeAndFlush(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1).clientId(id)
                            .cleanSession(true).keepAlive(1200).build());
                } else {
                    finished.incrementAndGet();
                }
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof MqttConnAckMessage connAck) {
                if (connAck.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                    accepted.incrementAndGet();
                }
                finished.incrementAndGet();
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
