package io.palisade.core.limit;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How the process's open-file limit (RLIMIT_NOFILE) is shared, so that connection limits follow the real
 * limit instead of a constant: a reserve for the store, logs, jars, the upstream link and admin access;
 * a share for the HTTPS port; the rest for MQTT sessions, each of which holds two descriptors (device and
 * upstream). Listeners refuse cleanly at their share instead of failing with "Too many open files".
 */
public record DescriptorBudget(long limit, int reserve, int httpsConnections, int mqttSessions) {

    /** Descriptors kept for everything that is not a client connection. */
    public static final int RESERVE = 256;
    /** HTTPS connections at most, whatever the limit (EST, API, CRL, TUF: short requests). */
    public static final int MAX_HTTPS = 1024;

    /** The budget for a limit of {@code limit} open files. */
    public static DescriptorBudget of(long limit) {
        long usable = Math.max(0, limit - RESERVE);
        int https = (int) Math.max(16, Math.min(MAX_HTTPS, usable / 10));
        int mqtt = (int) Math.max(8, Math.min(Integer.MAX_VALUE, (usable - https) / 2));
        return new DescriptorBudget(limit, RESERVE, https, mqtt);
    }

    /** The budget of this process (a generous default where the JVM cannot tell the limit). */
    public static DescriptorBudget ofProcess() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return of(unix.getMaxFileDescriptorCount());
        }
        return of(65_536);
    }

    /** One line for the start banner. */
    public String describe() {
        return limit + " open files: " + mqttSessions + " MQTT sessions (2 each), " + httpsConnections
                + " HTTPS connections, " + reserve + " reserved";
    }
}
