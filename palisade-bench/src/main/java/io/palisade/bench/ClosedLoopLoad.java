package io.palisade.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * palisade-bench's MQTT load generator: the highest sustained end-to-end rate a broker path carries.
 *
 * <p>N publishers connect over mutual TLS (OpenSSL through netty-tcnative, as devices' C stacks do, so
 * that the generator's own TLS costs little), each with its own certificate, and publish to
 * {@code devices/<id>/bench}; one subscriber on the broker's plain listener receives everything. The loop is
 * closed: a publisher has at most {@code window} messages sent but not yet seen by the subscriber, so the
 * rate found is one the path sustains without queues growing (an open loop would measure how fast a
 * queue fills). Each payload carries its send time and publisher index; latency is arrival minus send
 * time, on one clock.
 *
 * <p>Per message the generator does one buffer write into a pre-encoded PUBLISH prefix and no other
 * allocation, and flushes once per batch (a publisher refills its window once half of it has arrived): it must be able to saturate Mosquitto on this machine, or a
 * ratio against it means nothing. Each run reports its own CPU and that of the processes it is told of.
 */
final class ClosedLoopLoad implements AutoCloseable {

    /** A run's figures: messages received per second, latency percentiles, CPU % of one core (generator, then the watched processes). */
    record Result(double perSecond, long p50Micros, long p99Micros, long lost, double generatorCpu, double[] watchedCpu) {
    }

    private static final String FILTER = "devices/+/bench";
    private final EventLoopGroup group;
    private final boolean epoll = Epoll.isAvailable();

    ClosedLoopLoad(int threads) {
        group = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /**
     * Connects the publishers ({@code devices}: directories with key.pem, cert.pem, ca.pem, named by the
     * client id) to {@code host:port} and a subscriber to {@code 127.0.0.1:subscriberPort}, loads for
     * {@code warmupSeconds} unmeasured, then measures for {@code seconds}.
     */
    Result run(List<Path> devices, String host, int port, int subscriberPort, int qos, int payloadBytes, int window,
               int warmupSeconds, int seconds, long... watchedPids) throws Exception {
        return run(devices, host, new int[]{port}, subscriberPort, qos, payloadBytes, window, warmupSeconds, seconds,
                watchedPids);
    }

    /** As above, with the publishers spread over several gateways: device {@code i} connects to {@code ports[i % n]}. */
    Result run(List<Path> devices, String host, int[] ports, int subscriberPort, int qos, int payloadBytes, int window,
               int warmupSeconds, int seconds, long... watchedPids) throws Exception {
        Subscriber subscriber = new Subscriber(devices.size(), qos);
        Channel subscriberChannel = connect("127.0.0.1", subscriberPort, null, subscriber);
        subscriber.subscribed.get(10, TimeUnit.SECONDS);
        List<Publisher> publishers = new ArrayList<>();
        CountDownLatch connected = new CountDownLatch(devices.size());
        for (int i = 0; i < devices.size(); i++) {
            Path credentials = devices.get(i);
            Publisher publisher = new Publisher(i, credentials.getFileName().toString(), qos, payloadBytes, window,
                    connected);
            publishers.add(publisher);
            subscriber.publishers[i] = publisher;
            connect(host, ports[i % ports.length], clientTls(credentials), publisher);
        }
        if (!connected.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(connected.getCount() + " of " + devices.size() + " publishers did not connect"
                    + " to " + host + ":" + java.util.Arrays.toString(ports));
        }
        publishers.forEach(Publisher::start);
        Thread.sleep(warmupSeconds * 1000L);
        long[] cpuBefore = cpuTicks(watchedPids);
        long ownBefore = ownCpuNanos();
        long started = System.nanoTime();
        subscriber.measuring = true;
        Thread.sleep(seconds * 1000L);
        subscriber.measuring = false;
        long elapsed = System.nanoTime() - started;
        long ownAfter = ownCpuNanos();
        long[] cpuAfter = cpuTicks(watchedPids);
        publishers.forEach(Publisher::stop);
        Thread.sleep(200);
        long lost = publishers.stream().mapToLong(p -> p.lost).sum();
        subscriberChannel.close().sync();
        double[] watched = new double[watchedPids.length];
        for (int i = 0; i < watched.length; i++) {
            watched[i] = (cpuAfter[i] - cpuBefore[i]) * 1e9 / TICKS_PER_SECOND * 100.0 / elapsed;
        }
        long[] latencies = subscriber.latencies();
        return new Result(subscriber.measured * 1e9 / elapsed, percentile(latencies, 50), percentile(latencies, 99), lost,
                (ownAfter - ownBefore) * 100.0 / elapsed, watched);
    }

    private Channel connect(String host, int port, SslContext tls, ChannelInboundHandlerAdapter handler)
            throws InterruptedException {
        return new Bootstrap().group(group).channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), host, port));
                        }
                        ch.pipeline().addLast(new MqttDecoder(1 << 20), MqttEncoder.INSTANCE, handler);
                    }
                }).connect(host, port).sync().channel();
    }

    private static SslContext clientTls(Path credentials) throws Exception {
        return SslContextBuilder.forClient()
                .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                .keyManager(credentials.resolve("cert.pem").toFile(), credentials.resolve("key.pem").toFile())
                .trustManager(credentials.resolve("ca.pem").toFile())
                .build();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    // ---- the subscriber -------------------------------------------------------------------------------

    /** Receives every message, records its latency while measuring, and hands credits back to publishers. */
    private static final class Subscriber extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        final Publisher[] publishers;
        private final int qos;
        private final int[] credits;
        private final int[] touched;
        private int touchedCount;
        volatile boolean measuring;
        long measured;
        private long[] latencies = new long[1 << 20];
        private int latencyCount;

        Subscriber(int publisherCount, int qos) {
            this.publishers = new Publisher[publisherCount];
            this.credits = new int[publisherCount];
            this.touched = new int[publisherCount];
            this.qos = qos;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(MqttMessageBuilders.connect().clientId("bench-sub-" + System.nanoTime())
                    .protocolVersion(MqttVersion.MQTT_3_1_1).cleanSession(true).keepAlive(60).build());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                MqttMessage message = (MqttMessage) msg;
                switch (message.fixedHeader().messageType()) {
                    case CONNACK -> ctx.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1)
                            .addSubscription(MqttQoS.valueOf(qos), FILTER).build());
                    case SUBACK -> subscribed.complete(null);
                    case PUBLISH -> received(ctx, (MqttPublishMessage) message);
                    default -> { }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void received(ChannelHandlerContext ctx, MqttPublishMessage publish) {
            long now = System.nanoTime();
            ByteBuf payload = publish.payload();
            long sent = payload.getLong(payload.readerIndex());
            int index = payload.getInt(payload.readerIndex() + 8);
            if (publish.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                ctx.write(MqttMessageBuilders.pubAck().packetId(publish.variableHeader().packetId()).build());
            }
            if (measuring) {
                measured++;
                if (latencyCount == latencies.length) {
                    latencies = Arrays.copyOf(latencies, latencies.length * 2);
                }
                latencies[latencyCount++] = (now - sent) / 1000;
            }
            if (index >= 0 && index < credits.length && credits[index]++ == 0) {
                touched[touchedCount++] = index;
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            for (int i = 0; i < touchedCount; i++) {
                int index = touched[i];
                publishers[index].credit(credits[index]);
                credits[index] = 0;
            }
            touchedCount = 0;
        }

        long[] latencies() {
            long[] copy = Arrays.copyOf(latencies, latencyCount);
            Arrays.sort(copy);
            return copy;
        }
    }

    // ---- a publisher ----------------------------------------------------------------------------------

    /** One device: after CONNACK, keeps {@code window} messages in flight end to end. */
    private static final class Publisher extends ChannelInboundHandlerAdapter {
        private final int index;
        private final String clientId;
        private final int qos;
        private final int payloadBytes;
        private final int window;
        private final CountDownLatch connected;
        private final byte[] prefix;
        private ChannelHandlerContext ctx;
        private int inFlight;
        private int packetId;
        private boolean running;
        private long sentSinceCheck;
        long lost;

        Publisher(int index, String clientId, int qos, int payloadBytes, int window, CountDownLatch connected) {
            this.index = index;
            this.clientId = clientId;
            this.qos = qos;
            this.payloadBytes = Math.max(12, payloadBytes);
            this.window = window;
            this.connected = connected;
            prefix = publishPrefix("devices/" + clientId + "/bench", qos, this.payloadBytes);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext context) {
            ctx = context;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
            if (event instanceof SslHandshakeCompletionEvent handshake && handshake.isSuccess()) {
                context.writeAndFlush(MqttMessageBuilders.connect().clientId(clientId)
                        .protocolVersion(MqttVersion.MQTT_3_1_1).cleanSession(true).keepAlive(60).build());
            }
            super.userEventTriggered(context, event);
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object msg) {
            try {
                if (msg instanceof MqttConnAckMessage connAck
                        && connAck.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                    connected.countDown();
                }
                // PUBACK: nothing to do; the window is closed by the subscriber's arrivals.
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        void start() {
            ctx.executor().execute(() -> {
                running = true;
                fill();
                ctx.executor().scheduleAtFixedRate(this::reclaim, 1, 1, TimeUnit.SECONDS);
            });
        }

        void stop() {
            ctx.executor().execute(() -> {
                running = false;
                ctx.writeAndFlush(new MqttMessage(new io.netty.handler.codec.mqtt.MqttFixedHeader(
                        MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0)));
                ctx.close();
            });
        }

        /** {@code n} of this publisher's messages arrived (called from the subscriber's thread). */
        void credit(int n) {
            ctx.executor().execute(() -> {
                inFlight -= n;
                if (inFlight <= window / 2) {
                    fill(); // in batches of at least half the window: a device's messages leave together
                }
            });
        }

        /** Messages the path dropped would hold the window shut: after a second without progress, they count as lost. */
        private void reclaim() {
            if (running && sentSinceCheck == 0 && inFlight > 0) {
                lost += inFlight;
                inFlight = 0;
                fill();
            }
            sentSinceCheck = 0;
        }

        private void fill() {
            if (!running || !ctx.channel().isActive()) {
                return;
            }
            boolean wrote = false;
            while (inFlight < window) {
                ByteBuf packet = ctx.alloc().directBuffer(prefix.length + 2 + payloadBytes);
                packet.writeBytes(prefix);
                if (qos > 0) {
                    packetId = packetId == 65_535 ? 1 : packetId + 1;
                    packet.writeShort(packetId);
                }
                packet.writeLong(System.nanoTime()).writeInt(index).writeZero(payloadBytes - 12);
                ctx.write(packet, ctx.voidPromise());
                inFlight++;
                sentSinceCheck++;
                wrote = true;
            }
            if (wrote) {
                ctx.flush();
            }
        }
    }

    // ---- measuring ----------------------------------------------------------------------------------

    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private static long[] cpuTicks(long[] pids) throws java.io.IOException {
        long[] ticks = new long[pids.length];
        for (int i = 0; i < pids.length; i++) {
            String stat = Files.readString(Path.of("/proc", Long.toString(pids[i]), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks[i] = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
        }
        return ticks;
    }

    private static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long percentile(long[] sorted, int percent) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percent / 100.0) - 1)];
    }

    /**
     * The bytes of a PUBLISH up to its packet id (fixed header, remaining length, topic), encoded once by
     * Netty's own MQTT encoder for a payload of {@code payloadBytes}; each message then appends its packet
     * id (QoS 1) and payload.
     */
    static byte[] publishPrefix(String topic, int qos, int payloadBytes) {
        EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        encoder.writeOutbound(MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.valueOf(qos))
                .messageId(qos > 0 ? 1 : 0).payload(Unpooled.wrappedBuffer(new byte[payloadBytes])).build());
        ByteBuf encoded = Unpooled.buffer();
        for (ByteBuf part; (part = encoder.readOutbound()) != null; ) {
            encoded.writeBytes(part);
            part.release();
        }
        encoder.finishAndReleaseAll();
        return ByteBufUtil.getBytes(encoded, 0, encoded.readableBytes() - payloadBytes - (qos > 0 ? 2 : 0));
    }
}
