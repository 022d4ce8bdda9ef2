package io.palisade.control.service;

import io.palisade.core.device.DeviceId;
import io.palisade.detect.Responder;
import java.time.Duration;
import java.util.Optional;

/**
 * Carries out detection's responses through the control plane, so that each is stored, recorded as an
 * event and pushed to live sessions like an operator's action: quarantine and revocation through
 * {@link DeviceService}; throttling through the gateway, once one is attached ({@link #throttleWith}).
 */
public final class DetectionResponder implements Responder {

    /** How a throttled device's quota is cut, and for how long. */
    public static final double THROTTLE_FACTOR = 10;
    public static final Duration THROTTLE_FOR = Duration.ofMinutes(10);

    /** Cuts a device's quotas on the data plane; returns whether the device is connected. */
    @FunctionalInterface
    public interface Throttle {
        boolean apply(DeviceId device, double factor, Duration duration);
    }

    private static final System.Logger LOG = System.getLogger(DetectionResponder.class.getName());

    /** Tells the other instances of a throttle made here (nothing when there are none). */
    @FunctionalInterface
    public interface ThrottleNotice {
        void announce(DeviceId device, double factor, java.time.Instant until);
    }

    private final DeviceService devices;
    private final java.time.Clock clock;
    private volatile Throttle throttle;
    private volatile ThrottleNotice announce = (device, factor, until) -> { };

    public DetectionResponder(DeviceService devices) {
        this(devices, java.time.Clock.systemUTC());
    }

    public DetectionResponder(DeviceService devices, java.time.Clock clock) {
        this.devices = devices;
        this.clock = clock;
    }

    /** Several instances: each throttle made here is announced, so that it follows the device. */
    public void publishThrottlesTo(ThrottleNotice announce) {
        this.announce = announce;
    }

    /**
     * Another instance throttled {@code device} until {@code until}: its sessions here, now or later, get the same
     * cut for what is left of it. Returns whether any time was left.
     */
    public boolean throttledElsewhere(DeviceId device, double factor, java.time.Instant until) {
        Duration left = Duration.between(clock.instant(), until);
        Throttle current = throttle;
        if (current == null || left.isNegative() || left.isZero()) {
            return false;
        }
        current.apply(device, factor, left);
        LOG.log(System.Logger.Level.INFO, "throttled " + device + " to 1/" + (int) factor + " of its quota until "
                + until + ", as another instance decided");
        return true;
    }

    /** Attaches the data plane's throttle (the gateway, when this process runs one). */
    public void throttleWith(Throttle throttle) {
        this.throttle = throttle;
    }

    @Override
    public void quarantine(DeviceId device, String reason) throws Refusal {
        devices.quarantine(device.value(), "detector", Optional.of(reason));
    }

    @Override
    public void revoke(DeviceId device, String reason) throws Refusal {
        // Detection revokes when it believes the device's key is in the wrong hands.
        devices.revoke(device.value(), "detector", Optional.of(reason),
                io.palisade.core.device.RevocationReason.KEY_COMPROMISE);
    }

    @Override
    public void throttle(DeviceId device, String reason) {
        Throttle current = throttle;
        if (current == null) {
            throw new UnsupportedOperationException("no gateway in this process to throttle " + device);
        }
        boolean connected = current.apply(device, THROTTLE_FACTOR, THROTTLE_FOR);
        announce.announce(device, THROTTLE_FACTOR, clock.instant().plus(THROTTLE_FOR));
        LOG.log(System.Logger.Level.INFO, "throttled " + device + " to 1/" + (int) THROTTLE_FACTOR + " of its quota"
                + " for " + THROTTLE_FOR.toMinutes() + " min" + (connected ? "" : " (from its next connection)")
                + ": " + reason);
    }
}
