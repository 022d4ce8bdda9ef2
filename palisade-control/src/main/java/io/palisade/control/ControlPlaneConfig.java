package io.palisade.control;

import io.palisade.control.service.FailureLimiter;
import io.palisade.core.tamper.TamperResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the control plane needs to start, validated once so that a bad value fails at start
 * with a sentence naming the setting, not later with a stack trace.
 *
 * @param storeUrl            {@code sqlite:PATH} or {@code postgresql://...}; empty for SQLite in the data directory
 * @param hostNames           extra names for the server certificate besides localhost and loopback addresses
 * @param deviceCertLifetime  lifetime of device certificates
 * @param failureBurst        failed requests an address may make in a burst before being slowed down
 * @param failuresPerMinute   failed requests per minute an address may make after the burst
 * @param supersededGrace     how long a device's certificate stays valid after a newer one was issued
 * @param eventRetention      how long and how many security events are kept
 * @param tamperResponse      what the control plane does when a device reports tamper evidence
 */
public record ControlPlaneConfig(Path dataDir, String bindAddress, int httpsPort, List<String> hostNames,
                                 Optional<String> storeUrl, Duration deviceCertLifetime, int failureBurst,
                                 int failuresPerMinute, Duration supersededGrace, EventRetention eventRetention,
                                 TamperResponse tamperResponse) {

    public static final int DEFAULT_HTTPS_PORT = 8443;
    /** A renewed device has this long to reconnect with its new certificate before the old one is revoked. */
    public static final Duration DEFAULT_SUPERSEDED_GRACE = Duration.ofHours(1);
    /**
     * Quarantine: physical tamper evidence on an unattended device is taken seriously at once, while the
     * operator (who may know of a technician on site) decides about locking or zeroising.
     */
    public static final TamperResponse DEFAULT_TAMPER_RESPONSE = TamperResponse.QUARANTINE;

    public ControlPlaneConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(eventRetention, "eventRetention");
        Objects.requireNonNull(tamperResponse, "tamperResponse");
        if (httpsPort < 0 || httpsPort > 65535) {
            throw new IllegalArgumentException("--https-port must be between 0 and 65535, got " + httpsPort);
        }
        hostNames = List.copyOf(hostNames);
        for (String host : hostNames) {
            if (!host.matches("[A-Za-z0-9.:-]{1,253}")) {
                throw new IllegalArgumentException("--hostname '" + host + "' is not a host name or IP address");
            }
        }
        if (supersededGrace.isNegative() || supersededGrace.compareTo(Duration.ofDays(30)) > 0) {
            throw new IllegalArgumentException("--superseded-grace must be between 0 and 30 days, got "
                    + supersededGrace);
        }
        if (failureBurst < 1 || failuresPerMinute < 1) {
            throw new IllegalArgumentException("failure limits must be at least 1, got burst " + failureBurst
                    + " and " + failuresPerMinute + " per minute");
        }
    }

    public static ControlPlaneConfig defaults(Path dataDir) {
        return new ControlPlaneConfig(dataDir, "0.0.0.0", DEFAULT_HTTPS_PORT, List.of(), Optional.empty(),
                Duration.ofHours(24), FailureLimiter.DEFAULT_BURST, FailureLimiter.DEFAULT_PER_MINUTE,
                DEFAULT_SUPERSEDED_GRACE, EventRetention.DEFAULT, DEFAULT_TAMPER_RESPONSE);
    }

    public ControlPlaneConfig withPort(int port) {
        return new ControlPlaneConfig(dataDir, bindAddress, port, hostNames, storeUrl, deviceCertLifetime,
                failureBurst, failuresPerMinute, supersededGrace, eventRetention, tamperResponse);
    }

    public ControlPlaneConfig withBindAddress(String address) {
        return new ControlPlaneConfig(dataDir, address, httpsPort, hostNames, storeUrl, deviceCertLifetime,
                failureBurst, failuresPerMinute, supersededGrace, eventRetention, tamperResponse);
    }

    public ControlPlaneConfig withSupersededGrace(Duration grace) {
        return new ControlPlaneConfig(dataDir, bindAddress, httpsPort, hostNames, storeUrl, deviceCertLifetime,
                failureBurst, failuresPerMinute, grace, eventRetention, tamperResponse);
    }

    /** The store: {@code sqlite:PATH} or {@code postgresql://...}. */
    public ControlPlaneConfig withStore(String url) {
        return new ControlPlaneConfig(dataDir, bindAddress, httpsPort, hostNames, Optional.of(url), deviceCertLifetime,
                failureBurst, failuresPerMinute, supersededGrace, eventRetention, tamperResponse);
    }

    public ControlPlaneConfig withEventRetention(EventRetention retention) {
        return new ControlPlaneConfig(dataDir, bindAddress, httpsPort, hostNames, storeUrl, deviceCertLifetime,
                failureBurst, failuresPerMinute, supersededGrace, retention, tamperResponse);
    }

    public ControlPlaneConfig withFailureLimits(int burst, int perMinute) {
        return new ControlPlaneConfig(dataDir, bindAddress, httpsPort, hostNames, storeUrl, deviceCertLifetime,
                burst, perMinute, supersededGrace, eventRetention, tamperResponse);
    }

    public ControlPlaneConfig withTamperResponse(TamperResponse response) {
        return new ControlPlaneConfig(dataDir, bindAddress, httpsPort, hostNames, storeUrl, deviceCertLifetime,
                failureBurst, failuresPerMinute, supersededGrace, eventRetention, response);
    }
}
