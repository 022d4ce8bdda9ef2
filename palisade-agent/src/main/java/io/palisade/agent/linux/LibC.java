package io.palisade.agent.linux;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/** The C library functions the agent calls; {@code size_t}/{@code ssize_t} and {@code unsigned long} as {@link NativeLong}. */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    int AF_NETLINK = 16;
    int SOCK_DGRAM = 2;
    int SOCK_RAW = 3;
    int NETLINK_NETFILTER = 12;
    int SOCK_CLOEXEC = 0x80000;
    int NETLINK_KOBJECT_UEVENT = 15;
    int SOL_SOCKET = 1;
    int SO_RCVBUF = 8;
    int SO_RCVTIMEO = 20;
    int EAGAIN = 11;
    int EINTR = 4;
    int PR_GET_DUMPABLE = 3;
    int PR_SET_DUMPABLE = 4;
    int RLIMIT_CORE = 4;

    int socket(int domain, int type, int protocol);

    int bind(int fd, byte[] address, int length);

    int setsockopt(int fd, int level, int name, byte[] value, int length);

    NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags);

    NativeLong send(int fd, byte[] buffer, NativeLong length, int flags);

    int close(int fd);

    int prctl(int option, NativeLong arg2, NativeLong arg3, NativeLong arg4, NativeLong arg5);

    int setrlimit(int resource, byte[] limits);
}
