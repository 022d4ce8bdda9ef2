package io.palisade.agent.firewall;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Netfilter's packet log over netlink (nfnetlink_log): the two config requests that bind a log group and ask for
 * packet copies, and the parser of what the kernel sends back, a datagram of netlink messages: acknowledgements
 * (NLMSG_ERROR, error 0 for success) and logged packets ({@code NFULNL_MSG_PACKET}: a prefix and the packet from
 * its network header on). Netlink headers are in native byte order, nfnetlink's payload fields in network order.
 */
public final class NflogMessages {

    /** A packet the kernel logged: the rule's prefix ("in"/"out"), its address family and its first bytes. */
    public record Logged(String prefix, int family, byte[] packet) {
    }

    /** What one datagram held. */
    public record Parsed(List<Logged> packets, List<Integer> errors) {
    }

    static final int NLMSG_ERROR = 2;
    private static final int NLMSG_HEADER = 16;
    private static final int NFGENMSG = 4;
    private static final int SUBSYS_ULOG = 4;
    private static final int MSG_PACKET = SUBSYS_ULOG << 8;
    private static final int MSG_CONFIG = (SUBSYS_ULOG << 8) | 1;
    private static final int NLM_F_REQUEST = 1;
    private static final int NLM_F_ACK = 4;
    private static final int ATTR_PAYLOAD = 9;
    private static final int ATTR_PREFIX = 10;
    private static final int CFG_CMD = 1;
    private static final int CFG_MODE = 2;
    private static final int CMD_BIND = 1;
    private static final int COPY_PACKET = 2;
    /** Enough of a packet for its IP and transport headers. */
    static final int COPY_RANGE = 128;

    private NflogMessages() {
    }

    /** Bind log group {@code group} to this socket. */
    public static byte[] bind(int group, int sequence) {
        return config(group, sequence, CFG_CMD, new byte[]{CMD_BIND});
    }

    /** Ask for the first {@link #COPY_RANGE} bytes of each logged packet. */
    public static byte[] copyPackets(int group, int sequence) {
        return config(group, sequence, CFG_MODE, ByteBuffer.allocate(6).order(ByteOrder.BIG_ENDIAN)
                .putInt(COPY_RANGE).put((byte) COPY_PACKET).put((byte) 0).array());
    }

    private static byte[] config(int group, int sequence, int attribute, byte[] value) {
        int attributeLength = 4 + value.length;
        int padded = (attributeLength + 3) & ~3;
        ByteBuffer out = ByteBuffer.allocate(NLMSG_HEADER + NFGENMSG + padded).order(ByteOrder.nativeOrder());
        out.putInt(out.capacity()).putShort((short) MSG_CONFIG).putShort((short) (NLM_F_REQUEST | NLM_F_ACK))
                .putInt(sequence).putInt(0);
        out.put((byte) 0).put((byte) 0).order(ByteOrder.BIG_ENDIAN).putShort((short) group).order(ByteOrder.nativeOrder());
        out.putShort((short) attributeLength).putShort((short) attribute).put(value);
        return out.array();
    }

    /** Parses the datagram in {@code buffer[0, length)}; a malformed one is refused with the reason. */
    public static Parsed parse(byte[] buffer, int length) {
        if (length < 0 || length > buffer.length) {
            throw new IllegalArgumentException("a netlink datagram length of " + length + " for a buffer of " + buffer.length);
        }
        ByteBuffer in = ByteBuffer.wrap(buffer, 0, length).order(ByteOrder.nativeOrder());
        List<Logged> packets = new ArrayList<>();
        List<Integer> errors = new ArrayList<>();
        int position = 0;
        while (length - position >= NLMSG_HEADER) {
            int messageLength = in.getInt(position);
            int type = Short.toUnsignedInt(in.getShort(position + 4));
            if (messageLength < NLMSG_HEADER || messageLength > length - position) {
                throw new IllegalArgumentException("a netlink message of " + messageLength + " bytes with "
                        + (length - position) + " left");
            }
            if (type == NLMSG_ERROR) {
                if (messageLength < NLMSG_HEADER + 4) {
                    throw new IllegalArgumentException("a netlink error message without its error code");
                }
                errors.add(-in.getInt(position + NLMSG_HEADER));
            } else if (type == MSG_PACKET) {
                packets.add(packet(buffer, position, messageLength));
            }
            position += (messageLength + 3) & ~3;
        }
        return new Parsed(List.copyOf(packets), List.copyOf(errors));
    }

    private static Logged packet(byte[] buffer, int start, int messageLength) {
        if (messageLength < NLMSG_HEADER + NFGENMSG) {
            throw new IllegalArgumentException("a logged packet message without its nfgenmsg header");
        }
        ByteBuffer in = ByteBuffer.wrap(buffer).order(ByteOrder.nativeOrder());
        int family = Byte.toUnsignedInt(buffer[start + NLMSG_HEADER]);
        String prefix = "";
        byte[] packet = new byte[0];
        int end = start + messageLength;
        int position = start + NLMSG_HEADER + NFGENMSG;
        while (end - position >= 4) {
            int attributeLength = Short.toUnsignedInt(in.getShort(position));
            int type = Short.toUnsignedInt(in.getShort(position + 2)) & 0x3fff;
            if (attributeLength < 4 || attributeLength > end - position) {
                throw new IllegalArgumentException("a packet log attribute of " + attributeLength + " bytes with "
                        + (end - position) + " left");
            }
            byte[] value = Arrays.copyOfRange(buffer, position + 4, position + attributeLength);
            if (type == ATTR_PREFIX) {
                int nul = 0;
                while (nul < value.length && value[nul] != 0) {
                    nul++;
                }
                prefix = new String(value, 0, nul, StandardCharsets.US_ASCII);
            } else if (type == ATTR_PAYLOAD) {
                packet = value;
            }
            position += (attributeLength + 3) & ~3;
        }
        return new Logged(prefix, family, packet);
    }
}
