package io.palisade.control.siem;

import java.util.Objects;

/**
 * Who reports the events: the host name a SIEM files them under and the product version in their headers.
 *
 * @param hostName the reporting host (RFC 5424 HOSTNAME, CEF {@code dvchost}); printable ASCII, no spaces
 * @param version  Palisade's version
 */
public record Origin(String hostName, String version) {

    public static final String VENDOR = "Palisade";
    public static final String PRODUCT = "Palisade";

    public Origin {
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(version, "version");
        if (hostName.isEmpty() || !hostName.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException("host name must be printable ASCII without spaces: '" + hostName + "'");
        }
    }

    /** This host's name (from the environment or the kernel; no DNS lookup) and the running build's version. */
    public static Origin local() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
            } catch (java.io.IOException | RuntimeException e) {
                host = "localhost";
            }
        }
        String version = Origin.class.getPackage().getImplementationVersion();
        return new Origin(host.isBlank() ? "localhost" : host.replaceAll("[^\\x21-\\x7e]", "-"),
                version == null ? "dev" : version);
    }
}
