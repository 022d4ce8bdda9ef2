package io.palisade.cluster;

import io.palisade.core.cluster.BusEvents;
import io.palisade.core.cluster.SharedEventLog;
import io.palisade.core.event.SecurityEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The shared event log on Kafka: topic {@code PREFIX.events}, keyed by device (else source), so each device's
 * events stay in one partition and in order.
 *
 * <p>Appending: an idempotent producer with {@code acks=all}; {@link #append} returns once every record of the batch
 * is acknowledged and throws otherwise, so the caller (the instance's spooling event writer) keeps the batch on
 * disk and offers it again when the bus is back.
 *
 * <p>Draining: each instance is a member of consumer group {@code PREFIX-store-writer}; Kafka shares the partitions
 * among the members and moves them when one comes or goes. A polled batch goes to the store and only then are the
 * offsets committed: a batch the store refuses is read again from the same offsets after a pause (the events wait
 * in Kafka, not in memory), and a member that dies before committing leaves its batch to the next owner (at least
 * once). A record that is not an event is logged, counted and skipped.
 */
public final class KafkaEventLog implements SharedEventLog {

    private static final System.Logger LOG = System.getLogger(KafkaEventLog.class.getName());
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);

    private final KafkaBusUrl url;
    private final String instance;
    private final Clock clock;
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong drained = new AtomicLong();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread drainer;
    private volatile boolean running = true;
    private boolean closed;
    private volatile Instant storeRefusingSince;
    private volatile long waiting = -1;

    private KafkaEventLog(KafkaBusUrl url, String instance, Clock clock) {
        this.url = url;
        this.instance = instance;
        this.clock = clock;
        this.producer = new KafkaProducer<>(producerProperties(url, instance), new StringSerializer(),
                new ByteArraySerializer());
    }

    /** Connects, creating the topic with {@code partitions} partitions if it is new. */
    public static KafkaEventLog open(KafkaBusUrl url, String instance, int partitions, Duration timeout, Clock clock)
            throws BusUnavailableException {
        BusTopics.ensureEventTopic(url, partitions, timeout);
        return new KafkaEventLog(url, instance, clock);
    }

    @Override
    public void append(List<SecurityEvent> batch) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
        for (SecurityEvent event : batch) {
            sent.add(producer.send(new ProducerRecord<>(url.eventTopic(), BusEvents.key(event),
                    BusEvents.encode(event))));
        }
        long deadline = System.nanoTime() + SEND_TIMEOUT.toNanos();
        for (Future<RecordMetadata> record : sent) {
            try {
                record.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the bus took events", e);
            } catch (Exception e) {
                throw new IllegalStateException("the bus at " + url + " did not take " + batch.size() + " events: "
                        + (e.getCause() != null ? e.getCause().getMessage() : e.toString()), e);
            }
        }
    }

    @Override
    public synchronized void drainInto(Consumer<List<SecurityEvent>> store) {
        if (drainer != null) {
            throw new IllegalStateException("already draining");
        }
        consumer = new KafkaConsumer<>(consumerProperties(url, instance), new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(url.eventTopic()));
        drainer = new Thread(() -> drainLoop(store), "bus-event-drain");
        drainer.setDaemon(true);
        drainer.start();
    }

    @Override
    public Optional<Instant> storeRefusingSince() {
        return Optional.ofNullable(storeRefusingSince);
    }

    @Override
    public long waiting() {
        return waiting;
    }

    /** Events this instance took into the store, and records refused as not events, since start. */
    public long drained() {
        return drained.get();
    }

    public long malformed() {
        return malformed.get();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        KafkaConsumer<String, byte[]> draining = consumer;
        if (draining != null) {
            draining.wakeup();
        }
        Thread thread = drainer;
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(2));
    }

    private void drainLoop(Consumer<List<SecurityEvent>> store) {
        Duration retry = FIRST_RETRY;
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                List<SecurityEvent> batch = decode(records);
                if (!batch.isEmpty() && !offer(store, batch)) {
                    rewind(records);
                    sleep(retry);
                    retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
                    continue;
                }
                retry = FIRST_RETRY;
                if (!records.isEmpty()) {
                    consumer.commitSync();
                    drained.addAndGet(batch.size());
                }
                measureLag();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the event drain of instance " + instance + " stopped: its share of"
                    + " the log waits in Kafka for another instance; restart this one", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Hands the batch to the store; false (and an outage begun or continued) when the store refuses it. */
    private boolean offer(Consumer<List<SecurityEvent>> store, List<SecurityEvent> batch) {
        try {
            store.accept(batch);
        } catch (RuntimeException e) {
            if (storeRefusingSince == null) {
                storeRefusingSince = clock.instant();
                LOG.log(System.Logger.Level.ERROR, "the store refuses events (" + e.getMessage() + "); they wait in"
                        + " Kafka and are written, in order, when it takes them again");
            }
            return false;
        }
        if (storeRefusingSince != null) {
            LOG.log(System.Logger.Level.WARNING, "the store takes events again after "
                    + Duration.between(storeRefusingSince, clock.instant()).toSeconds() + " s");
            storeRefusingSince = null;
        }
        return true;
    }

    private List<SecurityEvent> decode(ConsumerRecords<String, byte[]> records) {
        List<SecurityEvent> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                batch.add(BusEvents.decode(record.value()));
            } catch (IllegalArgumentException e) {
                if (Long.bitCount(malformed.incrementAndGet()) == 1) {
                    LOG.log(System.Logger.Level.WARNING, "skipped a record on " + url.eventTopic() + " partition "
                            + record.partition() + " offset " + record.offset() + ": " + e.getMessage()
                            + "; only Palisade instances may write to this topic");
                }
            }
        }
        return batch;
    }

    /** Puts each partition back to the first record of {@code records}, so that the next poll reads them again. */
    private void rewind(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            consumer.seek(partition, records.records(partition).get(0).offset());
        }
    }

    private void measureLag() {
        long lag = 0;
        for (TopicPartition partition : consumer.assignment()) {
            var behind = consumer.currentLag(partition);
            if (behind.isEmpty()) {
                waiting = -1;
                return;
            }
            lag += behind.getAsLong();
        }
        waiting = lag;
    }

    private void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public String describe() {
        return url + " topic " + url.eventTopic();
    }

    private static Properties producerProperties(KafkaBusUrl url, String instance) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, url.bootstrapServers());
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "palisade-events-" + instance);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
        properties.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return properties;
    }

    private static Properties consumerProperties(KafkaBusUrl url, String instance) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, url.bootstrapServers());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "palisade-store-writer-" + instance);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, url.prefix() + "-store-writer");
        // Dynamic membership: a stopping instance leaves the group and its partitions move at once (a static member
        // would keep them, undrained, for the whole session timeout); a killed one's move after 10 s.
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        properties.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        properties.putAll(Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100));
        return properties;
    }
}
