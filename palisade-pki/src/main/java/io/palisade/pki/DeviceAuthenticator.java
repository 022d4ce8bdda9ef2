package io.palisade.pki;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.device.DeviceState;
import io.palisade.core.device.IssuedCertificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Turns a TLS client certificate (chain and validity already checked by the handshake) into a
 * registered, unrevoked device, or says why not. The device id comes from the certificate only. The one such
 * decision for every device-facing listener (the MQTT gateway, Modbus/TCP Security).
 */
public final class DeviceAuthenticator {

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final DeviceRegistry registry;

    public DeviceAuthenticator(DeviceRegistry registry) {
        this.registry = registry;
    }

    /** Either a device or the reason it was refused. */
    public record Result(Optional<Device> device, Optional<DeviceId> claimed, String reason) {
        static Result ok(Device device) {
            return new Result(Optional.of(device), Optional.of(device.id()), "");
        }

        static Result refused(Optional<DeviceId> claimed, String reason) {
            return new Result(Optional.empty(), claimed, reason);
        }
    }

    public Result authenticate(List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            return Result.refused(Optional.empty(), "no client certificate");
        }
        X509Certificate certificate = chain.get(0);
        Optional<DeviceId> id = DeviceIdentity.of(certificate);
        if (id.isEmpty() || !hasClientAuth(certificate)) {
            return Result.refused(Optional.empty(), "the client certificate is not a Palisade device certificate");
        }
        String serial = certificate.getSerialNumber().toString(16);
        Optional<IssuedCertificate> issued = registry.findCertificate(serial);
        if (issued.isEmpty() || !issued.get().device().equals(id.get())) {
            return Result.refused(id, "certificate serial " + serial + " was not issued to device " + id.get());
        }
        if (issued.get().isRevoked()) {
            return Result.refused(id, "certificate serial " + serial + " of device " + id.get() + " is revoked");
        }
        Optional<Device> device = registry.find(id.get());
        if (device.isEmpty()) {
            return Result.refused(id, "device " + id.get() + " is not registered");
        }
        if (device.get().state() == DeviceState.REVOKED) {
            return Result.refused(id, "device " + id.get() + " is revoked");
        }
        return Result.ok(device.get());
    }

    private static boolean hasClientAuth(X509Certificate certificate) {
        try {
            List<String> usages = certificate.getExtendedKeyUsage();
            return usages != null && usages.contains(CLIENT_AUTH);
        } catch (CertificateParsingException e) {
            return false;
        }
    }
}
