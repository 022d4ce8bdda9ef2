package io.palisade.core.overlay;

import io.palisade.core.device.DeviceId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The overlay's grants and hosts, durable. */
public interface OverlayStore {

    /** Every grant, newest first (revoked and expired ones too: they are the record). */
    List<OverlayGrant> grants();

    /** The grants of one subject for one host (what a tunnel request is decided on). */
    List<OverlayGrant> grants(OverlaySubject subject, DeviceId device);

    void add(OverlayGrant grant);

    /** Marks the grant revoked; empty when there is no such grant or it was already revoked. */
    Optional<OverlayGrant> revoke(String id, Instant at, String actor);

    List<OverlayHost> hosts();

    Optional<OverlayHost> host(DeviceId device);

    /** Adds or replaces the host of that device. */
    void putHost(OverlayHost host, Instant now);

    /** False when there was no such host. */
    boolean deleteHost(DeviceId device);
}
