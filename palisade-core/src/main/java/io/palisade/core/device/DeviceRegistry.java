package io.palisade.core.device;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable device state: devices, their enrollment tokens and the certificates issued to them.
 *
 * <p>Implementations must make every method atomic and durable on return, because the control
 * plane answers devices only after the state change is stored.
 */
public interface DeviceRegistry {

    /** Adds a device with its first enrollment token; fails with {@link DuplicateDeviceException} if the id exists. */
    void add(Device device, EnrollmentToken token);

    Optional<Device> find(DeviceId id);

    List<Device> list();

    /** Stores the device's new state; returns false when the device does not exist. */
    boolean update(Device device);

    /** Replaces the device's enrollment token (for example after the first one expired). */
    void replaceToken(EnrollmentToken token);

    Optional<EnrollmentToken> findToken(DeviceId id);

    /**
     * Marks the token as used, records the certificate and moves the device to ENROLLED, all or
     * nothing. Returns false (and changes nothing) when the token was already used concurrently.
     */
    boolean consumeTokenAndRecord(DeviceId id, Instant usedAt, IssuedCertificate certificate);

    /** Records a certificate issued by re-enrollment. */
    void recordCertificate(IssuedCertificate certificate);

    Optional<IssuedCertificate> findCertificate(String serial);

    /** Revokes every unrevoked certificate of the device and moves it to REVOKED; returns the serials revoked. */
    List<String> revoke(DeviceId id, Instant now, RevocationReason reason);

    /** {@link #revoke(DeviceId, Instant, RevocationReason)} without a stated reason. */
    default List<String> revoke(DeviceId id, Instant now) {
        return revoke(id, now, RevocationReason.UNSPECIFIED);
    }

    /**
     * Removes the device, its enrollment token and its certificates from the registry; returns false when
     * there was no such device. The caller makes sure none of the certificates is still valid or on the CRL.
     */
    boolean delete(DeviceId id);

    /**
     * When each device was last issued a certificate (enrollment or renewal: a sign of life that survives
     * restarts, since a device renews at two thirds of its certificate's lifetime).
     */
    java.util.Map<DeviceId, Instant> lastCertificateIssued();

    /** Per device with an unrevoked certificate, when the last of them expires (for the fleet inventory). */
    java.util.Map<DeviceId, Instant> certificateExpiries();

    /** Every certificate issued to the device, newest first. */
    List<IssuedCertificate> certificatesOf(DeviceId id);

    /**
     * Revokes every unrevoked certificate of the device and burns its outstanding enrollment token, and moves
     * it back to REGISTERED: it keeps its id, profile, tags and history and enrolls again with a new token
     * (after a remote wipe erased its keys). Returns the serials revoked.
     */
    List<String> revokeCertificates(DeviceId id, Instant now, RevocationReason reason);

    /** Every revoked certificate that has not expired yet, for the CRL. */
    List<IssuedCertificate> revokedUnexpired(Instant now);

    /**
     * Revokes (at {@code now}) every unrevoked certificate whose device has a newer one issued at or
     * before {@code supersededBefore}: after re-enrollment the old certificate stays valid for a grace
     * period, then it is revoked. Returns the revoked certificates.
     */
    List<IssuedCertificate> revokeSuperseded(Instant supersededBefore, Instant now);

    /** Thrown by {@link #add} when a device with the same id is already registered. */
    final class DuplicateDeviceException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public DuplicateDeviceException(DeviceId id) {
            super("device " + id + " is already registered");
        }
    }
}
