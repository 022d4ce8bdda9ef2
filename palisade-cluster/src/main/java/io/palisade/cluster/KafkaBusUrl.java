package io.palisade.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code kafka://HOST:PORT[,HOST:PORT...][?prefix=NAME]}: the bootstrap brokers of the bus and the prefix of the
 * topics Palisade uses on it (default {@value #DEFAULT_PREFIX}), so that several Palisade clusters can share
 * one Kafka.
 */
public record KafkaBusUrl(List<String> bootstrap, String prefix) {

    public static final String DEFAULT_PREFIX = "palisade";
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._-]{1,253}:[0-9]{1,5}|\\[[0-9A-Fa-f:.]+\\]:[0-9]{1,5}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    public KafkaBusUrl {
        bootstrap = List.copyOf(bootstrap);
    }

    public static KafkaBusUrl parse(String text) {
        String scheme = "kafka://";
        if (text == null || !text.startsWith(scheme)) {
            throw new IllegalArgumentException("a bus URL looks like kafka://HOST:PORT[,HOST:PORT], got '" + text + "'");
        }
        String rest = text.substring(scheme.length());
        String prefix = DEFAULT_PREFIX;
        int query = rest.indexOf('?');
        if (query >= 0) {
            String option = rest.substring(query + 1);
            rest = rest.substring(0, query);
            if (!option.startsWith("prefix=") || !PREFIX.matcher(option.substring("prefix=".length())).matches()) {
                throw new IllegalArgumentException("the only bus URL option is prefix=NAME (letters, digits, . _ -),"
                        + " got '" + option + "'");
            }
            prefix = option.substring("prefix=".length());
        }
        List<String> brokers = new ArrayList<>();
        for (String broker : rest.split(",", -1)) {
            if (!HOST_PORT.matcher(broker).matches()) {
                throw new IllegalArgumentException("'" + broker + "' in the bus URL is not HOST:PORT");
            }
            int port = Integer.parseInt(broker.substring(broker.lastIndexOf(':') + 1));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " in the bus URL is out of range");
            }
            brokers.add(broker);
        }
        return new KafkaBusUrl(brokers, prefix);
    }

    /** The {@code bootstrap.servers} value. */
    public String bootstrapServers() {
        return String.join(",", bootstrap);
    }

    /** The compacted topic of state notices. */
    public String stateTopic() {
        return prefix + ".state";
    }

    /** The topic of security events, partitioned by device. */
    public String eventTopic() {
        return prefix + ".events";
    }

    @Override
    public String toString() {
        return "kafka://" + bootstrapServers() + (prefix.equals(DEFAULT_PREFIX) ? "" : "?prefix=" + prefix);
    }
}
