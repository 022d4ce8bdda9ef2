package io.palisade.cluster;

import io.palisade.core.cluster.StateChange;
import io.palisade.core.cluster.StateChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * State notices on a compacted Kafka topic, keyed by what changed.
 *
 * <p>Every instance reads the whole topic (no consumer group: each must see every notice) from where it stood at
 * start, so notices sent while it was cut off arrive, in order, as soon as the bus answers again. Sending runs on
 * a thread of its own: {@link #publish} only queues, and the sender retries until the bus takes the notice (acks
 * from all in-sync replicas, idempotent producer), so a change made during an outage reaches the others when the
 * outage ends. A notice sent twice does no harm: it only says what to read again from the store.
 *
 * <p>Health: the receiver asks the bus for the topic's end once a second; when it cannot, the channel is
 * degraded from that moment, and the log says so once, and again when the bus answers.
 */
public final class KafkaStateChannel implements StateChannel {

    private static final System.Logger LOG = System.getLogger(KafkaStateChannel.class.getName());
    /** More waiting notices than this means the bus has been away long; the oldest are then dropped, and counted. */
    static final int MAX_UNSENT = 100_000;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PROBE_EVERY = Duration.ofSeconds(1);
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(900);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaBusUrl url;
    private final String instance;
    private final Clock clock;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final TopicPartition partition;
    private final LinkedBlockingDeque<StateChange> unsent = new LinkedBlockingDeque<>();
    private final List<Consumer<StateChange>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final Thread sender;
    private final Thread receiver;
    private volatile boolean running = true;
    private volatile Instant lastContact;
    private volatile Instant outageSince;
    /** 1 while the sender holds a notice the bus has not taken yet (it counts as unsent). */
    private volatile int sending;

    private KafkaStateChannel(KafkaBusUrl url, String instance, Clock clock) {
        this.url = url;
        this.instance = instance;
        this.clock = clock;
        this.partition = new TopicPartition(url.stateTopic(), 0);
        this.producer = new KafkaProducer<>(producerProperties(url, instance), new StringSerializer(),
                new ByteArraySerializer());
        this.consumer = new KafkaConsumer<>(consumerProperties(url, instance), new StringDeserializer(),
                new ByteArrayDeserializer());
        this.sender = new Thread(this::sendLoop, "bus-state-sender");
        this.receiver = new Thread(this::receiveLoop, "bus-state-receiver");
        sender.setDaemon(true);
        receiver.setDaemon(true);
    }

    /**
     * Connects as {@code instance} (unique among the instances: its own notices are not handed back to it),
     * creating the topic if it is new; listens from the topic's current end.
     */
    public static KafkaStateChannel open(KafkaBusUrl url, String instance, Duration timeout, Clock clock)
            throws BusUnavailableException {
        BusTopics.ensureStateTopic(url, timeout);
        KafkaStateChannel channel = new KafkaStateChannel(url, instance, clock);
        try {
            channel.consumer.assign(List.of(channel.partition));
            channel.consumer.seekToEnd(List.of(channel.partition));
            channel.consumer.position(channel.partition, timeout); // resolves the end now, not at the first poll
        } catch (KafkaException e) {
            channel.closeClients();
            throw new BusUnavailableException("could not read topic " + url.stateTopic() + " on " + url + ": "
                    + e.getMessage(), e);
        }
        channel.lastContact = clock.instant();
        return channel;
    }

    /** Starts sending and receiving; listeners added before this see every notice from the start position. */
    public KafkaStateChannel start() {
        sender.start();
        receiver.start();
        return this;
    }

    @Override
    public void publish(StateChange change) {
        unsent.offerLast(change);
        while (unsent.size() > MAX_UNSENT && unsent.pollFirst() != null) {
            if (dropped.incrementAndGet() == 1) {
                LOG.log(System.Logger.Level.ERROR, "the bus at " + url + " has been unreachable so long that "
                        + MAX_UNSENT + " notices wait; the oldest are dropped (other instances read the store"
                        + " again at their next notice or restart)");
            }
        }
    }

    @Override
    public void listen(Consumer<StateChange> listener) {
        listeners.add(listener);
    }

    @Override
    public Health health() {
        Instant since = outageSince;
        return new Health(since == null ? "ok" : "degraded", Optional.ofNullable(since), unsent.size() + sending,
                Optional.ofNullable(lastContact));
    }

    /** Notices from other instances received since start, and those refused as malformed. */
    public long received() {
        return received.get();
    }

    public long malformed() {
        return malformed.get();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        sender.interrupt();
        try {
            sender.join(2000);
            receiver.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeClients();
    }

    private void closeClients() {
        producer.close(Duration.ofSeconds(1));
        consumer.close(Duration.ofSeconds(1));
    }

    private void sendLoop() {
        while (running) {
            StateChange change;
            try {
                change = unsent.takeFirst();
            } catch (InterruptedException e) {
                return;
            }
            sending = 1;
            try {
                while (running && !send(change)) {
                    Thread.sleep(200);
                }
            } catch (InterruptedException e) {
                unsent.offerFirst(change);
                return;
            } finally {
                sending = 0;
            }
        }
    }

    /** One attempt; on failure the notice is retried (in order: nothing after it goes first). */
    private boolean send(StateChange change) {
        try {
            producer.send(new ProducerRecord<>(url.stateTopic(), change.busKey(), change.toJson()))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "notice " + change.busKey() + " not taken by the bus yet: " + e);
            return false;
        }
    }

    private void receiveLoop() {
        Instant nextProbe = clock.instant();
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    deliver(record);
                }
                Instant now = clock.instant();
                if (!now.isBefore(nextProbe)) {
                    probe(now);
                    nextProbe = now.plus(PROBE_EVERY);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the bus receiver stopped: notices of other instances no longer"
                    + " arrive; restart this instance", e);
            outageSince = clock.instant();
        }
    }

    private void deliver(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return; // a tombstone: someone removed a key from the compacted topic, which tells us nothing
        }
        StateChange change;
        try {
            change = StateChange.parse(record.value());
        } catch (IllegalArgumentException e) {
            if (Long.bitCount(malformed.incrementAndGet()) == 1) {
                LOG.log(System.Logger.Level.WARNING, "refused a record on " + url.stateTopic() + " at offset "
                        + record.offset() + " (key " + abbreviate(record.key()) + "): " + e.getMessage()
                        + "; only Palisade instances may write to this topic");
            }
            return;
        }
        if (change.origin().equals(instance)) {
            return;
        }
        received.incrementAndGet();
        for (Consumer<StateChange> listener : listeners) {
            try {
                listener.accept(change);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "applying notice " + change + " failed", e);
            }
        }
    }

    /** Asks the bus where the topic ends: an answer is contact, a time-out starts (or continues) an outage. */
    private void probe(Instant now) {
        try {
            consumer.endOffsets(List.of(partition), PROBE_TIMEOUT);
            lastContact = now;
            if (outageSince != null) {
                LOG.log(System.Logger.Level.WARNING, "the bus at " + url + " answers again after "
                        + Duration.between(outageSince, now).toSeconds() + " s; applying what other instances"
                        + " changed meanwhile (" + unsent.size() + " notices of ours still to send)");
                outageSince = null;
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            if (outageSince == null) {
                outageSince = now;
                LOG.log(System.Logger.Level.WARNING, "the bus at " + url + " does not answer: this instance is"
                        + " degraded, serving devices with the state it last knew; changes made elsewhere apply when"
                        + " the bus is back");
            }
        }
    }

    private static String abbreviate(String key) {
        if (key == null) {
            return "none";
        }
        String printable = key.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 60 ? printable.substring(0, 60) + "..." : printable;
    }

    private static Properties producerProperties(KafkaBusUrl url, String instance) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, url.bootstrapServers());
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "palisade-state-" + instance);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
        properties.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return properties;
    }

    private static Properties consumerProperties(KafkaBusUrl url, String instance) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, url.bootstrapServers());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "palisade-state-" + instance);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Compaction may remove what we have not read yet: start again from the oldest kept (notices repeat harmlessly).
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        properties.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1 << 20);
        return properties;
    }
}
