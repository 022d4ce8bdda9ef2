package io.palisade.control.service;

import io.palisade.control.siem.SiemService;
import io.palisade.core.cluster.Duty;
import io.palisade.core.cluster.StateChange;
import io.palisade.core.cluster.StateChannel;
import io.palisade.core.device.DeviceChangeListener;
import io.palisade.core.device.DeviceId;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;

/**
 * Keeps this instance in line with the others: what changes here (a device's standing, a policy, a segment's
 * quarantine) goes out as a notice, and a notice from elsewhere makes this instance read the shared store again
 * and act on live sessions as if the change had been made here. With {@link StateChannel#NONE} (one instance)
 * nothing goes out and nothing comes in.
 */
public final class ClusterSync {

    private static final System.Logger LOG = System.getLogger(ClusterSync.class.getName());

    private final StateChannel channel;
    private final String instance;
    private final DeviceService devices;
    private final PolicyService policies;
    private final Clock clock;
    private final Duty duty;
    private volatile SiemService siem;
    private volatile DetectionService detection;

    public ClusterSync(StateChannel channel, String instance, Duty duty, DeviceService devices,
                       PolicyService policies, Clock clock) {
        this.duty = Objects.requireNonNull(duty, "duty");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.instance = Objects.requireNonNull(instance, "instance");
        this.devices = devices;
        this.policies = policies;
        this.clock = clock;
    }

    /** Connects both directions; call before the channel starts delivering. */
    public void connect() {
        devices.publishChangesTo((device, change) -> publish(StateChange.Kind.DEVICE, device.id().value(),
                change.name().toLowerCase(Locale.ROOT)));
        policies.publishChangesTo((kind, key) -> publish(kind, key, "changed"));
        channel.listen(this::apply);
    }

    /** SIEM export: done by the duty's holder only; destinations added or removed here are announced. */
    public void share(SiemService siem) {
        this.siem = siem;
        siem.shareWith(duty, () -> publish(StateChange.Kind.SIEM, "destinations", "changed"));
    }

    /** Detection: rules and feedback adjustments made here are announced; those made elsewhere are reloaded. */
    public void share(DetectionService detection) {
        this.detection = detection;
        detection.publishChangesTo(() -> publish(StateChange.Kind.DETECTION, "tuning", "changed"));
        detection.responder().publishThrottlesTo((device, factor, until) -> publish(StateChange.Kind.THROTTLE,
                device.value(), ThrottleChange.format(factor, until)));
    }

    /** Whether this instance does the cluster's singleton work now (always, for a single instance). */
    public Duty duty() {
        return duty;
    }

    /** Whether other instances exist (this one has a bus). */
    public boolean clustered() {
        return channel != StateChannel.NONE;
    }

    public StateChannel.Health health() {
        return channel.health();
    }

    public String instance() {
        return instance;
    }

    private void publish(StateChange.Kind kind, String key, String change) {
        channel.publish(new StateChange(kind, key, change, instance, clock.instant()));
    }

    /** Applies another instance's notice; one that names nothing this instance knows is logged and dropped. */
    void apply(StateChange notice) {
        switch (notice.kind()) {
            case DEVICE -> applyDevice(notice);
            case POLICY, SEGMENT -> policies.reloadFromStore();
            case SIEM -> {
                SiemService shared = siem;
                if (shared != null) {
                    shared.reloadFromStore();
                }
            }
            case DETECTION -> {
                DetectionService shared = detection;
                if (shared != null) {
                    shared.reloadFromStore();
                }
            }
            case THROTTLE -> applyThrottle(notice);
            default -> throw new IllegalStateException("unhandled notice kind " + notice.kind());
        }
    }

    private void applyThrottle(StateChange notice) {
        DetectionService shared = detection;
        if (shared == null) {
            return;
        }
        try {
            ThrottleChange throttle = ThrottleChange.parse(notice.change());
            shared.responder().throttledElsewhere(DeviceId.of(notice.key()), throttle.factor(), throttle.until());
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "ignored a throttle notice from " + notice.origin() + " that this"
                    + " version does not understand: " + notice + " (" + e.getMessage() + ")");
        }
    }

    private void applyDevice(StateChange notice) {
        DeviceChangeListener.Change change;
        DeviceId id;
        try {
            change = DeviceChangeListener.Change.valueOf(notice.change().toUpperCase(Locale.ROOT));
            id = DeviceId.of(notice.key());
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "ignored a device notice from " + notice.origin() + " that this"
                    + " version does not understand: " + notice + " (" + e.getMessage() + ")");
            return;
        }
        devices.changedElsewhere(id, change);
    }
}
