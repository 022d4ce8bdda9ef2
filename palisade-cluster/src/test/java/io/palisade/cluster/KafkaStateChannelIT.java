package io.palisade.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.palisade.core.cluster.StateChange;
import io.palisade.core.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two instances' channels on a real Kafka broker: notices cross, survive an outage of the bus, and bad records are refused. */
class KafkaStateChannelIT {

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

    private static KafkaStateChannel open(String instance, String prefix) throws Exception {
        return KafkaStateChannel.open(KafkaBusUrl.parse(broker.busUrl() + "?prefix=" + prefix), instance,
                Duration.ofSeconds(30), Clock.systemUTC());
    }

    private static StateChange notice(String key, String origin) {
        return new StateChange(StateChange.Kind.DEVICE, key, "quarantined", origin, Instant.now());
    }

    @Test
    void a_notice_reaches_the_other_instance_but_not_its_sender() throws Exception {
        try (KafkaStateChannel a = open("gw-a", "cross"); KafkaStateChannel b = open("gw-b", "cross")) {
            List<StateChange> atA = new CopyOnWriteArrayList<>();
            List<StateChange> atB = new CopyOnWriteArrayList<>();
            a.listen(atA::add);
            b.listen(atB::add);
            a.start();
            b.start();
            StateChange sent = notice("pump-1", "gw-a");
            a.publish(sent);
            await().atMost(10, TimeUnit.SECONDS).until(() -> atB.size() == 1);
            assertThat(atB).containsExactly(sent);
            b.publish(notice("pump-2", "gw-b"));
            await().atMost(10, TimeUnit.SECONDS).until(() -> atA.size() == 1);
            assertThat(atA.get(0).key()).isEqualTo("pump-2");
            assertThat(atB).hasSize(1); // b's own notice did not come back to it
            assertThat(a.health().state()).isEqualTo("ok");

            // An independent client (Debian kcat) reads the same topic: keys by what changed, notices as JSON.
            Process kcat = new ProcessBuilder("kcat", "-C", "-b", broker.bootstrap(), "-t", "cross.state", "-o",
                    "beginning", "-e", "-q", "-f", "%k %s\\n").redirectErrorStream(true).start();
            String read = new String(kcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(kcat.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(read).contains("device:pump-1 {\"kind\":\"device\",\"key\":\"pump-1\",\"change\":\"quarantined\","
                    + "\"origin\":\"gw-a\"").contains("device:pump-2 ");
        }
    }

    @Test
    void a_record_that_is_not_a_notice_is_refused_and_the_next_one_still_arrives() throws Exception {
        try (KafkaStateChannel b = open("gw-b", "malformed")) {
            List<StateChange> atB = new CopyOnWriteArrayList<>();
            b.listen(atB::add);
            b.start();
            Properties properties = new Properties();
            properties.put("bootstrap.servers", broker.bootstrap());
            try (KafkaProducer<String, byte[]> forger = new KafkaProducer<>(properties, new StringSerializer(),
                    new ByteArraySerializer())) {
                forger.send(new ProducerRecord<>("malformed.state", "device:x",
                        "{\"kind\":\"device\"".getBytes(StandardCharsets.UTF_8))).get();
                forger.send(new ProducerRecord<>("malformed.state", "device:y", "[1]".getBytes(StandardCharsets.UTF_8))).get();
                forger.send(new ProducerRecord<>("malformed.state", "device:z", null)).get(); // a tombstone: ignored
                forger.send(new ProducerRecord<>("malformed.state", "device:ok", notice("ok", "gw-z").toJson())).get();
            }
            await().atMost(10, TimeUnit.SECONDS).until(() -> atB.size() == 1);
            assertThat(atB.get(0).key()).isEqualTo("ok");
            assertThat(b.malformed()).isEqualTo(2);
        }
    }

    @Test
    void notices_made_while_the_bus_is_down_arrive_when_it_is_back_and_health_says_degraded_meanwhile()
            throws Exception {
        try (KafkaStateChannel a = open("gw-a", "outage"); KafkaStateChannel b = open("gw-b", "outage")) {
            List<StateChange> atB = new CopyOnWriteArrayList<>();
            b.listen(atB::add);
            a.start();
            b.start();
            broker.kill();
            await().atMost(15, TimeUnit.SECONDS).until(() -> a.health().degraded() && b.health().degraded());
            assertThat(b.health().since()).isPresent();
            a.publish(notice("during-outage", "gw-a"));
            await().atMost(5, TimeUnit.SECONDS).until(() -> a.health().unsent() == 1);
            broker.restart();
            await().atMost(60, TimeUnit.SECONDS).until(() -> atB.size() == 1);
            assertThat(atB.get(0).key()).isEqualTo("during-outage");
            await().atMost(10, TimeUnit.SECONDS).until(() -> !a.health().degraded() && !b.health().degraded());
            assertThat(a.health().unsent()).isZero();
        }
    }

    @Test
    void an_unreachable_bus_at_start_is_refused_with_what_to_check() {
        assertThatThrownBy(() -> KafkaStateChannel.open(KafkaBusUrl.parse("kafka://127.0.0.1:1"), "gw-a",
                Duration.ofSeconds(2), Clock.systemUTC()))
                .isInstanceOf(BusUnavailableException.class)
                .hasMessageContaining("kafka://127.0.0.1:1").hasMessageContaining("is Kafka running there?");
    }
}
