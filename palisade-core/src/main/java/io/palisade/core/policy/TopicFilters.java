package io.palisade.core.policy;

/**
 * MQTT topic names and filters (MQTT 3.1.1 section 4.7, MQTT 5 section 4.7): validity, matching,
 * and the two set relations access control needs: "every topic this filter matches is also matched
 * by that one" (containment, for allow rules) and "some topic matches both" (intersection, for deny
 * rules, so that a wildcard subscription cannot reach a denied topic).
 */
public final class TopicFilters {

    /** The MQTT limit for a UTF-8 string is 65,535 bytes; topics longer than this are refused earlier. */
    public static final int MAX_TOPIC_LENGTH = 65_535;

    private TopicFilters() {
    }

    /** A topic name for PUBLISH: non-empty, no wildcards, no NUL, not broken UTF-8. */
    public static boolean isValidTopicName(String topic) {
        if (topic == null || topic.isEmpty() || topic.length() > MAX_TOPIC_LENGTH) {
            return false;
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#' || !isAllowedCharacter(c)) {
                return false;
            }
        }
        return true;
    }

    /** A topic filter for SUBSCRIBE: '#' only as a whole last level, '+' only as a whole level. */
    public static boolean isValidFilter(String filter) {
        if (filter == null || filter.isEmpty() || filter.length() > MAX_TOPIC_LENGTH) {
            return false;
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                return false;
            }
            if (level.contains("+") && !level.equals("+")) {
                return false;
            }
            for (int j = 0; j < level.length(); j++) {
                if (!isAllowedCharacter(level.charAt(j))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * NUL is forbidden by the specification; U+FFFD is what a lenient decoder makes of ill-formed
     * UTF-8, so its presence means the client sent bytes that are not UTF-8.
     */
    private static boolean isAllowedCharacter(char c) {
        return c != '\u0000' && c != '\uFFFD';
    }

    /** True when {@code filter} matches {@code topic}; wildcards at the first level never match '$' topics. */
    public static boolean matches(String filter, String topic) {
        return contains(filter, topic);
    }

    /** True when every topic matched by {@code inner} (a filter or a topic) is matched by {@code outer}. */
    public static boolean contains(String outer, String inner) {
        if (startsWithWildcard(outer) && inner.startsWith("$")) {
            return false;
        }
        String[] o = outer.split("/", -1);
        String[] i = inner.split("/", -1);
        for (int k = 0; k < o.length; k++) {
            if (o[k].equals("#")) {
                return true;
            }
            if (k >= i.length) {
                return false;
            }
            if (i[k].equals("#")) {
                return false;
            }
            if (o[k].equals("+")) {
                continue;
            }
            if (i[k].equals("+") || !o[k].equals(i[k])) {
                return false;
            }
        }
        if (i.length == o.length) {
            return true;
        }
        // "a/#" also matches "a" (the parent level): handled above; anything longer is not contained.
        return false;
    }

    /** True when at least one topic is matched by both filters. */
    public static boolean intersects(String a, String b) {
        if ((startsWithWildcard(a) && b.startsWith("$")) || (startsWithWildcard(b) && a.startsWith("$"))) {
            return false;
        }
        String[] x = a.split("/", -1);
        String[] y = b.split("/", -1);
        int k = 0;
        for (; k < x.length && k < y.length; k++) {
            if (x[k].equals("#") || y[k].equals("#")) {
                return true;
            }
            if (x[k].equals("+") || y[k].equals("+")) {
                continue;
            }
            if (!x[k].equals(y[k])) {
                return false;
            }
        }
        if (x.length == y.length) {
            return true;
        }
        // One is longer: they meet only if the longer one's next level is '#' (which matches the parent).
        String[] longer = x.length > y.length ? x : y;
        return longer.length == k + 1 && longer[k].equals("#");
    }

    private static boolean startsWithWildcard(String filter) {
        return filter.startsWith("+") || filter.startsWith("#");
    }
}
