package io.palisade.control.http;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The peer address of a channel as the text that events and rate limits key on; {@value #LOCAL} for the
 * local API socket, whose peers are processes of the instance's own user.
 */
final class Addresses {

    static final String LOCAL = "local";

    private Addresses() {
    }

    static String remote(Channel channel) {
        SocketAddress address = channel.remoteAddress();
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        if (address instanceof java.net.UnixDomainSocketAddress
                || channel instanceof io.netty.channel.socket.nio.NioDomainSocketChannel) {
            return LOCAL;
        }
        return String.valueOf(address);
    }
}
