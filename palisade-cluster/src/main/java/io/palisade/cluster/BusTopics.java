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
 * the bus at start: an instance that cannot reach it says so and does not start.
 */
final class BusTopics {

    private BusTopics() {
    }

    /**
     * Makes sure the compacted state topic exists: one partition, so that all notices keep one order; replicated
     * up to three times as the cluster allows.
     */
    static void ensureStateTopic(KafkaBusUrl url, Duration timeout) throws BusUnavailableException {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, url.bootstrapServers());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(properties)) {
            int brokers = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            NewTopic topic = new NewTopic(url.stateTopic(), 1, (short) Math.min(3, Math.max(1, brokers)))
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                            TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, String.valueOf(Duration.ofHours(1).toMillis())));
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
            throw new BusUnavailableException("the bus at " + url + " refused to set up topic " + url.stateTopic()
                    + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusUnavailableException("interrupted while reaching the bus at " + url, e);
        }
    }
}
