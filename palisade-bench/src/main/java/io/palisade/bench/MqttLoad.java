package io.palisade.bench;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One load run: N devices connect with their certificates over mutual TLS and each publishes M
 * messages to its own topic; one subscriber on the broker's plain listener counts what arrives.
 *
 * <p>QoS 1 latency is the publisher's round trip (PUBLISH to PUBACK, which crosses the whole path
 * and back) and throughput the rate of acknowledged publishes. QoS 0 has no acknowledgement: its
 * latency is send to arrival at the subscriber and its throughput the arrival rate, so there the one
 * subscriber can be the bottleneck of both paths alike.
 */
final class MqttLoad {

    record Result(int sent, int received, double messagesPerSecond, double p50Millis, double p99Millis) {
    }

    private MqttLoad() {
    }

    static Result run(BenchPki pki, List<Path> devices, String host, int port, int brokerPlainPort, int qos,
                      int payloadBytes, int messagesPerDevice) throws Exception {
        int total = devices.size() * messagesPerDevice;
        long[] latencies = new long[total];
        long[] ackLatencies = new long[total];
        AtomicInteger acked = new AtomicInteger();
        AtomicLong lastAck = new AtomicLong();
        AtomicInteger received = new AtomicInteger();
        AtomicLong lastReceive = new AtomicLong();
        CountDownLatch all = new CountDownLatch(total);
        MqttClient subscriber = new MqttClient("tcp://127.0.0.1:" + brokerPlainPort, "bench-sub-" + System.nanoTime(),
                new MemoryPersistence());
        subscriber.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                long now = System.nanoTime();
                long sentAt = ByteBuffer.wrap(message.getPayload()).getLong();
                int index = received.getAndIncrement();
                if (index < latencies.length) {
                    latencies[index] = now - sentAt;
                }
                lastReceive.set(now);
                all.countDown();
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions subscriberOptions = new MqttConnectOptions();
        subscriberOptions.setMaxInflight(1000);
        subscriber.connect(subscriberOptions);
        subscriber.subscribe("devices/+/bench", qos);

        List<MqttClient> clients = new ArrayList<>();
        for (Path device : devices) {
            String id = device.getFileName().toString();
            MqttClient client = new MqttClient("ssl://" + host + ":" + port, id, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setSocketFactory(pki.socketFactory(device));
            options.setMaxInflight(64);
            options.setConnectionTimeout(30);
            client.connect(options);
            clients.add(client);
        }
        ExecutorService pool = Executors.newFixedThreadPool(devices.size());
        long start = System.nanoTime();
        List<Future<?>> publishers = new ArrayList<>();
        for (MqttClient client : clients) {
            publishers.add(pool.submit(() -> {
                String topic = "devices/" + client.getClientId() + "/bench";
                byte[] payload = new byte[payloadBytes];
                for (int i = 0; i < messagesPerDevice; i++) {
                    long sentAt = System.nanoTime();
                    ByteBuffer.wrap(payload).putLong(sentAt);
                    client.publish(topic, payload, qos, false);
                    if (qos > 0) {
                        long now = System.nanoTime();
                        ackLatencies[acked.getAndIncrement()] = now - sentAt;
                        lastAck.accumulateAndGet(now, Math::max);
                    }
                }
                return null;
            }));
        }
        for (Future<?> publisher : publishers) {
            publisher.get();
        }
        // Wait for everything, or until nothing has arrived for two seconds (QoS 0 may be dropped).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!all.await(100, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline
                && System.nanoTime() - Math.max(lastReceive.get(), start) < TimeUnit.SECONDS.toNanos(2)) {
            // keep waiting
        }
        pool.shutdown();
        for (MqttClient client : clients) {
            client.disconnect();
            client.close();
        }
        subscriber.disconnect();
        subscriber.close();
        int got = Math.min(received.get(), total);
        if (qos > 0) {
            long[] sorted = Arrays.copyOf(ackLatencies, acked.get());
            Arrays.sort(sorted);
            double seconds = (lastAck.get() - start) / 1e9;
            return new Result(total, got, acked.get() / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99));
        }
        long[] sorted = Arrays.copyOf(latencies, got);
        Arrays.sort(sorted);
        double seconds = (lastReceive.get() - start) / 1e9;
        return new Result(total, got, got / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99));
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
    }
}
