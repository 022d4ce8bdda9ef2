package io.palisade.detect;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The behaviour features detection computes for every device (and for source addresses before an
 * identity exists), incrementally and in fixed memory. Rules, operator-defined rules and the learned
 * model all read these; alerts name them. Windows: "per_s" over about ten seconds, "per_min" over
 * about a minute, "baseline" over about an hour; payload statistics are damped means.
 * They cover AWS IoT Device Defender Detect's device metrics (message size, messages sent and
 * received, authorization failures, connection attempts, disconnects, source IP).
 */
public enum Feature {
    MESSAGES_PER_S("messages_per_s", "messages published, per second over about 10 s") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.messagesShort.value(now) / 10;
        }
    },
    MESSAGES_PER_MIN("messages_per_min", "messages published in about the last minute") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.messagesMinute.value(now);
        }
    },
    BASELINE_MESSAGES_PER_S("baseline_messages_per_s", "messages published, per second over about an hour") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.messagesBaseline.value(now) / 3600;
        }
    },
    BYTES_PER_S("bytes_per_s", "payload bytes published, per second over about 10 s") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.bytesShort.value(now) / 10;
        }
    },
    MESSAGES_VS_OWN_SHARE("messages_vs_own_share", "messages published in about the last hour as a share of its"
            + " profile's at the same time, relative to the device's own usual share (1: as usual)") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.messagesVsOwnShare;
        }
    },
    BYTES_VS_OWN_SHARE("bytes_vs_own_share", "payload bytes published in about the last hour as a share of its"
            + " profile's at the same time, relative to the device's own usual share (1: as usual)") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.bytesVsOwnShare;
        }
    },
    BYTES_PER_MIN("bytes_per_min", "payload bytes published in about the last minute") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.bytesMinute.value(now);
        }
    },
    MEAN_PAYLOAD_BYTES("mean_payload_bytes", "damped mean payload size of published messages") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.meanPayload;
        }
    },
    PAYLOAD_ENTROPY_BITS("payload_entropy_bits", "damped mean Shannon entropy of payloads, bits per byte") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.meanEntropy;
        }
    },
    MESSAGES_IN_PER_MIN("messages_in_per_min", "messages delivered to the device in about the last minute") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.delivered.value(now);
        }
    },
    BYTES_IN_PER_MIN("bytes_in_per_min", "payload bytes delivered to the device in about the last minute") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.deliveredBytes.value(now);
        }
    },
    PUBLISH_SUBSCRIBE_RATIO("publish_subscribe_ratio",
            "messages published per subscription granted, over about ten minutes") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.messagesSlow.value(now) / Math.max(1, b.subscribesSlow.value(now));
        }
    },
    SUBSCRIBES_PER_MIN("subscribes_per_min", "subscriptions granted in about the last minute") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.subscribes.value(now);
        }
    },
    NEW_TOPICS_PER_MIN("new_topics_per_min", "topics published to for the first time, in about the last minute") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.newTopics.value(now);
        }
    },
    DISTINCT_TOPICS("distinct_topics", "distinct topics published to (at most 256 remembered)") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.distinctTopics();
        }
    },
    CONNECTS_PER_MIN("connects_per_min", "successful connections in about the last minute") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.connects.value(now);
        }
    },
    DISCONNECTS_PER_MIN("disconnects_per_min", "connections closed in about the last minute") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.disconnects.value(now);
        }
    },
    NETWORKS("networks", "distinct source networks (/24, /64) seen (at most 16 remembered)") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.distinctNetworks();
        }
    },
    AUTH_FAILURES_PER_MIN("auth_failures_per_min", "failed authentications in about the last minute") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.authFailures.value(now);
        }
    },
    ACL_DENIED_PER_MIN("acl_denied_per_min", "refused publishes and subscriptions in about the last minute") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.aclDenied.value(now);
        }
    },
    CROSS_DEVICE_DENIED_PER_MIN("cross_device_denied_per_min",
            "refused attempts on other devices' topics in about the last minute") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.crossDeviceDenied.value(now);
        }
    },
    QUOTA_HITS_PER_MIN("quota_hits_per_min", "quota refusals and throttling in about the last minute") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.quotaHits.value(now);
        }
    },
    MESSAGES_PER_10MIN("messages_per_10min", "messages published in about the last ten minutes") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.messagesSlow.value(now);
        }
    },
    BYTES_PER_10MIN("bytes_per_10min", "payload bytes published in about the last ten minutes") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.bytesSlow.value(now);
        }
    },
    MESSAGES_IN_PER_10MIN("messages_in_per_10min", "messages delivered to the device in about the last ten minutes") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.deliveredSlow.value(now);
        }
    },
    SUBSCRIBES_PER_10MIN("subscribes_per_10min", "subscriptions granted in about the last ten minutes") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.subscribesSlow.value(now);
        }
    },
    NEW_TOPICS_PER_HOUR("new_topics_per_hour", "topics published to for the first time, in about the last hour") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.newTopicsSlow.value(now);
        }
    },
    CONNECTS_PER_10MIN("connects_per_10min", "successful connections in about the last ten minutes") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.connectsSlow.value(now);
        }
    },
    DISCONNECTS_PER_10MIN("disconnects_per_10min", "connections closed in about the last ten minutes") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.disconnectsSlow.value(now);
        }
    },
    ACL_DENIED_PER_10MIN("acl_denied_per_10min", "refused publishes and subscriptions in about the last ten minutes") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.aclDeniedSlow.value(now);
        }
    },
    THROTTLED_SECONDS("throttled_s", "seconds the gateway throttled the device for its quota, over about 10 s") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.throttledSeconds.value(now);
        }
    },
    FILE_CHANGES_PER_MIN("file_changes_per_min", "integrity-monitored files changed, in about the last minute") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.fileChanges.value(now);
        }
    },
    PROTOCOL_VIOLATIONS_PER_MIN("protocol_violations_per_min", "MQTT protocol violations in about the last minute") {
        @Override
        double value(DeviceBehaviour b, long now) {
            return b.violations.value(now);
        }
    };

    private final String wireName;
    private final String description;

    Feature(String wireName, String description) {
        this.wireName = wireName;
        this.description = description;
    }

    abstract double value(DeviceBehaviour behaviour, long nowNanos);

    public String wireName() {
        return wireName;
    }

    public String description() {
        return description;
    }

    public static Optional<Feature> byName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.wireName.equals(wanted)).findFirst();
    }

    /** For error messages: every feature name. */
    public static String names() {
        return Arrays.stream(values()).map(Feature::wireName).collect(Collectors.joining(", "));
    }
}
