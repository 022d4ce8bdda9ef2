package io.palisade.agent.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.util.Optional;

/**
 * A netlink socket of one protocol (kernel uevents, netfilter's packet log), bound to the given multicast groups.
 * Receives with a one-second timeout so a reader thread can notice {@link #close()} without signals.
 */
public final class NetlinkSocket implements AutoCloseable {

    private final int fd;
    private final String what;
    private volatile boolean closed;

    private NetlinkSocket(int fd, String what) {
        this.fd = fd;
        this.what = what;
    }

    /** Kernel uevents (group 1: the kernel's own messages, not udev's re-broadcasts). */
    public static NetlinkSocket uevents() throws IOException {
        return open(LibC.SOCK_DGRAM, LibC.NETLINK_KOBJECT_UEVENT, 1, "kernel uevents");
    }

    /** Netfilter (nfnetlink): the packet log, after binding a log group with a config message. */
    public static NetlinkSocket netfilter() throws IOException {
        return open(LibC.SOCK_RAW, LibC.NETLINK_NETFILTER, 0, "the netfilter packet log");
    }

    private static NetlinkSocket open(int type, int protocol, int groups, String what) throws IOException {
        LibC c = LibC.INSTANCE;
        int fd = c.socket(LibC.AF_NETLINK, type | LibC.SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw new IOException("cannot open a netlink socket for " + what + ": errno " + Native.getLastError());
        }
        byte[] address = NativeStructs.sockaddrNl(0, groups); // port id 0: the kernel assigns one
        byte[] timeout = NativeStructs.timeval(1, 0);
        if (c.bind(fd, address, address.length) != 0
                || c.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, timeout, timeout.length) != 0) {
            int errno = Native.getLastError();
            c.close(fd);
            throw new IOException("cannot subscribe to " + what + ": errno " + errno);
        }
        // A burst (a hub of USB devices, a port scan) must not overflow the default buffer.
        byte[] buffer = NativeStructs.int32(1 << 20);
        c.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, buffer, buffer.length); // best effort
        return new NetlinkSocket(fd, what);
    }

    public void send(byte[] message) throws IOException {
        long sent = LibC.INSTANCE.send(fd, message, new NativeLong(message.length), 0).longValue();
        if (sent != message.length) {
            throw new IOException("cannot send to " + what + ": errno " + Native.getLastError());
        }
    }

    /**
     * The next message (its bytes in {@code buffer}, of the returned length), or empty after a second without
     * one or once closed.
     */
    public Optional<Integer> receive(byte[] buffer) throws IOException {
        if (closed) {
            return Optional.empty();
        }
        long length = LibC.INSTANCE.recv(fd, buffer, new NativeLong(buffer.length), 0).longValue();
        if (length < 0) {
            int errno = Native.getLastError();
            if (errno == LibC.EAGAIN || errno == LibC.EINTR || closed) {
                return Optional.empty();
            }
            throw new IOException("reading " + what + " failed: errno " + errno);
        }
        return Optional.of((int) length);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.INSTANCE.close(fd);
        }
    }
}
