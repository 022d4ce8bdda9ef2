package io.palisade.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two instances' event logs on a real Kafka: every event reaches the store, in order per device, through outages. */
class KafkaEventLogIT {

    @TempDir
    static Path dir;
    static KafkaBroker broker;

    @BeforeAll
    static void startKafka() throws Exception {
        broker = KafkaBroker.start(dir);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        broker.close();
    }

    private static KafkaEventLog open(String instance, String prefix) throws Exception {
        return KafkaEventLog.open(KafkaBusUrl.parse(broker.busUrl() + "?prefix=" + prefix), instance, 4,
                Duration.ofSeconds(30), Clock.systemUTC());
    }

    private static List<SecurityEvent> events(String instance, int count) {
        List<SecurityEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(SecurityEvent.of(Instant.parse("2026-12-04T10:00:00Z").plusMillis(i), EventType.ACL_DENIED,
                    Severity.MEDIUM, DeviceId.of("d" + (i % 5)), "10.0.0.1", instance + " " + i));
        }
        return events;
    }

    /** Per device, the numbers of {@code instance}'s events in the order the store got them. */
    private static Map<String, List<Integer>> orderPerDevice(List<SecurityEvent> stored, String instance) {
        Map<String, List<Integer>> order = new LinkedHashMap<>();
        for (SecurityEvent event : stored) {
            if (event.message().startsWith(instance + " ")) {
                order.computeIfAbsent(event.device().orElseThrow().value(), d -> new ArrayList<>())
                        .add(Integer.parseInt(event.message().substring(instance.length() + 1)));
            }
        }
        return order;
    }

    @Test
    void the_events_of_two_instances_all_reach_the_store_in_order_per_device() throws Exception {
        List<SecurityEvent> store = new CopyOnWriteArrayList<>();
        try (KafkaEventLog a = open("gw-a", "both"); KafkaEventLog b = open("gw-b", "both")) {
            a.drainInto(store::addAll);
            b.drainInto(store::addAll);
            for (List<SecurityEvent> batch : List.of(events("gw-a", 200), events("gw-b", 200))) {
                for (int from = 0; from < batch.size(); from += 50) {
                    (batch.get(0).message().startsWith("gw-a") ? a : b).append(batch.subList(from, from + 50));
                }
            }
            await().atMost(60, TimeUnit.SECONDS).until(() -> store.size() >= 400);
            for (String instance : List.of("gw-a", "gw-b")) {
                orderPerDevice(store, instance).values().forEach(numbers ->
                        assertThat(numbers).as("one device's events of " + instance).isSorted().doesNotHaveDuplicates());
                assertThat(orderPerDevice(store, instance).values().stream().mapToInt(List::size).sum()).isEqualTo(200);
            }
            assertThat(a.drained() + b.drained()).isEqualTo(400);
        }
    }

    @Test
    void events_the_store_refuses_wait_in_kafka_and_are_written_when_it_takes_them() throws Exception {
        List<SecurityEvent> store = new CopyOnWriteArrayList<>();
        long refuseUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        Consumer<List<SecurityEvent>> flaky = batch -> {
            if (System.nanoTime() < refuseUntil) {
                throw new IllegalStateException("the database is restarting");
            }
            store.addAll(batch);
        };
        try (KafkaEventLog a = open("gw-a", "refusing")) {
            a.drainInto(flaky);
            a.append(events("gw-a", 100));
            await().atMost(10, TimeUnit.SECONDS).until(() -> a.storeRefusingSince().isPresent());
            await().atMost(30, TimeUnit.SECONDS).until(() -> store.size() >= 100);
            assertThat(store).hasSize(100);
            assertThat(a.storeRefusingSince()).isEmpty();
            orderPerDevice(store, "gw-a").values().forEach(numbers -> assertThat(numbers).isSorted());
        }
    }

    @Test
    void a_record_that_is_not_an_event_is_skipped_and_counted() throws Exception {
        List<SecurityEvent> store = new CopyOnWriteArrayList<>();
        try (KafkaEventLog a = open("gw-a", "forged")) {
            a.drainInto(store::addAll);
            Properties properties = new Properties();
            properties.put("bootstrap.servers", broker.bootstrap());
            try (KafkaProducer<String, byte[]> forger = new KafkaProducer<>(properties, new StringSerializer(),
                    new ByteArraySerializer())) {
                forger.send(new ProducerRecord<>("forged.events", "device:d0",
                        "{\"type\":\"auth.failed\"}".getBytes(StandardCharsets.UTF_8))).get();
            }
            a.append(events("gw-a", 3));
            await().atMost(30, TimeUnit.SECONDS).until(() -> store.size() == 3);
            await().atMost(5, TimeUnit.SECONDS).until(() -> a.malformed() == 1);
        }
    }

    @Test
    void an_append_the_bus_cannot_take_fails_with_the_reason_so_the_caller_spools_it() throws Exception {
        try (KafkaEventLog a = open("gw-a", "down")) {
            a.append(events("gw-a", 1));
            broker.kill();
            try {
                assertThatThrownBy(() -> a.append(events("gw-a", 5))).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("did not take 5 events");
            } finally {
                broker.restart();
            }
        }
    }
}
