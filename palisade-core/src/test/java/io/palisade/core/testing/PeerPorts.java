package io.palisade.core.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for the peers a test starts itself (a Mosquitto, {@code openssl s_server}, a {@code palisade up}
 * process), chosen below the kernel's ephemeral range.
 *
 * <p>Why not "bind port 0, read the port, close": between that probe and the peer's own bind, the
 * kernel may hand the same port to the next {@code bind(0)} (a gateway listener started by the same
 * test: measured here about once in 2,000) or to an outgoing connection. The peer then fails to bind,
 * while a readiness probe happily connects to whoever took the port, and the test fails far from the
 * cause. A port below {@code ip_local_port_range} is never chosen by the kernel, so only another
 * explicit binder could take it; the start is random so that concurrent JVMs seldom meet.
 */
public final class PeerPorts {

    private static final int LOWEST = 20_000;
    private static final int RANGE_FILE_FALLBACK = 32_768;
    private static final int FIRST_EPHEMERAL = firstEphemeralPort();
    private static final AtomicInteger NEXT =
            new AtomicInteger(LOWEST + ThreadLocalRandom.current().nextInt(FIRST_EPHEMERAL - LOWEST));

    private PeerPorts() {
    }

    /** A loopback port nobody is bound to now and that the kernel will not give to anyone else. */
    public static int free() {
        int span = FIRST_EPHEMERAL - LOWEST;
        for (int tried = 0; tried < span; tried++) {
            int port = LOWEST + Math.floorMod(NEXT.getAndIncrement() - LOWEST, span);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + FIRST_EPHEMERAL);
    }

    private static boolean bindable(int port) {
        for (InetAddress address : new InetAddress[] {InetAddress.getLoopbackAddress(), anyAddress()}) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(address, port));
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress anyAddress() {
        return new InetSocketAddress(0).getAddress();
    }

    private static int firstEphemeralPort() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int first = Integer.parseInt(range.split("\\s+")[0]);
            return first > LOWEST + 1_000 ? first : RANGE_FILE_FALLBACK;
        } catch (IOException | RuntimeException unreadable) {
            return RANGE_FILE_FALLBACK;
        }
    }
}
