package io.palisade.gateway;

import java.util.concurrent.TimeUnit;

/**
 * When the gateway reads from a device: only while its session takes packets (awaiting the CONNECT, or
 * connected), not during a quota pause, not while its QoS 0 lane is full, and not while its broker
 * connection cannot take more, so that a device cannot make the gateway queue without bound. Reading is the
 * device channel's auto-read; with it off, TCP's window slows the device down.
 */
final class DeviceReading {

    private final SessionLink link;
    private boolean accepting;
    private boolean paused;
    private boolean laneFull;

    DeviceReading(SessionLink link) {
        this.link = link;
    }

    /** Applies the session's state ({@code accepting}: it takes packets now) and everything else that holds reading back. */
    void update(boolean accepting) {
        this.accepting = accepting;
        boolean read = accepting && !paused && !laneFull && (link.upstream == null || link.upstream.isWritable());
        link.device.channel().config().setAutoRead(read);
    }

    /** Stops reading for {@code pauseNanos} (the device's quota), if positive. */
    void pause(long pauseNanos) {
        if (pauseNanos <= 0) {
            return;
        }
        paused = true;
        update(accepting);
        link.device.executor().schedule(() -> {
            paused = false;
            update(accepting);
        }, pauseNanos, TimeUnit.NANOSECONDS);
    }

    /** Whether the QoS 0 lane is full (the caller then applies it with {@link #update}). */
    void laneFull(boolean full) {
        laneFull = full;
    }
}
