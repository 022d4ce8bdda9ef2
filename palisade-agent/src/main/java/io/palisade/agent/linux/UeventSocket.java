package io.palisade.agent.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.util.Optional;

/**
 * A netlink socket subscribed to the kernel's uevent multicast group (the messages udev itself reads:
 * device added, removed, changed). Receives with a one-second timeout so a reader thread can notice
 * {@link #close()} without signals. Needs no privilege to listen.
 */
public final class UeventSocket implements AutoCloseable {

    /** The kernel's group; udev re-broadcasts on group 2 in its own format, which is not read. */
    private static final int KERNEL_GROUP = 1;
    /** A uevent is at most a page plus its header. */
    public static final int MAX_MESSAGE = 8192;

    private final int fd;
    private volatile boolean closed;

    private UeventSocket(int fd) {
        this.fd = fd;
    }

    public static UeventSocket open() throws IOException {
        LibC c = LibC.INSTANCE;
        int fd = c.socket(LibC.AF_NETLINK, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, LibC.NETLINK_KOBJECT_UEVENT);
        if (fd < 0) {
            throw new IOException("cannot open a netlink uevent socket: errno " + Native.getLastError());
        }
        byte[] address = NativeStructs.sockaddrNl(0, KERNEL_GROUP); // port id 0: the kernel assigns one
        byte[] timeout = NativeStructs.timeval(1, 0);
        // A burst of hot-plug events (a USB hub with many devices) must not overflow the default buffer.
        byte[] buffer = NativeStructs.int32(1 << 20);
        if (c.bind(fd, address, address.length) != 0
                || c.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, timeout, timeout.length) != 0) {
            int errno = Native.getLastError();
            c.close(fd);
            throw new IOException("cannot subscribe to kernel uevents: errno " + errno);
        }
        c.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, buffer, buffer.length); // best effort
        return new UeventSocket(fd);
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
            throw new IOException("reading kernel uevents failed: errno " + errno);
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
