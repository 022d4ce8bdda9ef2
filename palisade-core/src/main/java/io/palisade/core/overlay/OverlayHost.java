package io.palisade.core.overlay;

import io.palisade.core.device.DeviceId;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A legacy host behind the overlay: the registered device it is, and the address Palisade reaches it at (a host name
 * or IP address on the isolated segment). Tunnels to one of its {@code modbusPorts} are decoded as Modbus/TCP.
 */
public record OverlayHost(DeviceId device, String address, SortedSet<Integer> modbusPorts) {

    /** Modbus/TCP's registered port: decoded unless the operator says otherwise. */
    public static final Set<Integer> DEFAULT_MODBUS_PORTS = Set.of(502);
    private static final java.util.regex.Pattern ADDRESS = java.util.regex.Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9.:-]{0,252}[A-Za-z0-9])?");

    public OverlayHost {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(address, "address");
        if (!ADDRESS.matcher(address).matches()) {
            throw new IllegalArgumentException("'" + address + "' is not a host name or IP address");
        }
        modbusPorts = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(modbusPorts));
        modbusPorts.forEach(OverlayGrant::requirePort);
    }

    /** Whether a tunnel to this port carries Modbus/TCP (decoded into events and detection's traffic). */
    public boolean modbus(int port) {
        return modbusPorts.contains(port);
    }
}
