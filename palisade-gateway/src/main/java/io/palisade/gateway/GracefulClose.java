package io.palisade.gateway;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection without losing what was written to it.
 *
 * <p>Closing a TCP socket that still has unread bytes in its receive buffer makes the kernel send a
 * reset instead of a FIN, and a reset makes the peer drop what it had received but not yet read. A
 * broker that is writing to the gateway when the gateway closes would then lose the device's last
 * publishes and its DISCONNECT, and publish the device's will (seen with Mosquitto: "Broken pipe").
 *
 * <p>So, towards the broker, the gateway writes its last packet, waits until every write before it
 * has reached the socket, shuts down only its sending side (TLS close_notify, or a TCP half-close),
 * keeps reading and discarding until the peer closes in turn, and closes by itself only after
 * {@link #LINGER_MILLIS}. (Device connections are closed after their last write, without lingering.)
 */
final class GracefulClose {

    /** How long a closing connection waits for the peer to close its side. */
    static final long LINGER_MILLIS = 5_000;

    private GracefulClose() {
    }

    /** Writes {@code lastPacket} (may be null), then ends {@code channel} as described above. */
    static void close(Channel channel, Object lastPacket) {
        if (!channel.isActive()) {
            channel.close();
            return;
        }
        channel.config().setAutoRead(true); // keep draining: unread bytes would turn the FIN into a reset
        Object last = lastPacket == null ? Unpooled.EMPTY_BUFFER : lastPacket;
        // Writes complete in order: when the last one has, everything written before it has too.
        channel.writeAndFlush(last).addListener(written -> shutdownOutput(channel));
        var deadline = channel.eventLoop().schedule(() -> {
            channel.close();
        }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(closed -> deadline.cancel(false));
    }

    private static void shutdownOutput(Channel channel) {
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls != null) {
            tls.closeOutbound(); // close_notify; the peer answers by closing
        } else if (channel instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
        } else {
            channel.close();
        }
    }
}
