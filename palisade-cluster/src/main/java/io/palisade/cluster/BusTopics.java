package io.palisade.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics Palisade needs on first use, with the settings it relies on, and is the first contact with
 * the bus at start: an instance that cannot reach it says so and does not start. A topic that exists is left as
 * its operator set it.
 */
final class BusTopics {

    /** How long the event log keeps what every instance has drained: room to replay after a long store outage. */
    static final Duration EVENT_RETENTION = Duration.ofDays(7);

    private BusTopics() {
    }

    /**
     * The compacted state topic: one partition, so that all notices keep one order; replicated up to three times
     * as the cluster allows.
     */
    static void ensureStateTopic(KafkaBusUrl url, Duration timeout) throws BusUnavailableException {
        ensure(url, url.stateTopic(), 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, String.valueOf(Duration.ofHours(1).toMillis())), timeout);
    }

    /** The event log: {@code partitions} partitions (the most instances that can drain it at once), kept a week. */
    static void ensureEventTopic(KafkaBusUrl url, int partitions, Duration timeout) throws BusUnavailableException {
        ensure(url, url.eventTopic(), partitions, Map.of(TopicConfig.RETENTION_MS_CONFIG,
                String.valueOf(EVENT_RETENTION.toMillis())), timeout);
    }

    private static void ensure(KafkaBusUrl url, String name, int partitions, Map<String, String> configs,
                               Duration timeout) throws BusUnavailableException {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, url.bootstrapServers());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(properties)) {
            int brokers = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            short replicas = (short) Math.min(3, Math.max(1, brokers));
            NewTopic topic = new NewTopic(name, partitions, replicas).configs(configs);
            try {
                admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (TimeoutException e) {
            throw new BusUnavailableException("the bus at " + url + " did not answer within " + timeout.toSeconds()
                    + " s; is Kafka running there?", e);
        } catch (ExecutionException e) {
            throw new BusUnavailableException("the bus at " + url + " refused to set up topic " + name + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusUnavailableException("interrupted while reaching the bus at " + url, e);
        }
    }
}
