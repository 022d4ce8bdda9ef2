package io.palisade.legacy.modbus;

import io.netty.handler.ssl.SslContext;
import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.modbus.ModbusClient;
import io.palisade.pki.DeviceAuthenticator;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Modbus/TCP Security (Modbus Organization, MB-TCP-Security): TLS with a client certificate required, issued by
 * Palisade's CA ({@code context} checks chain and validity during the handshake); then, as for the MQTT gateway,
 * the certificate must belong to a registered, unrevoked device ({@link DeviceAuthenticator}), and a quarantined
 * device (or one in a quarantined segment) gets nothing through. The client's identity is the device id, its role the certificate's role extension.
 */
public record SecureClients(SslContext context, DeviceRegistry registry,
                            java.util.function.Predicate<String> segmentQuarantined) {

    /** An admitted client, or why not (with the device the certificate claims, when it names one). */
    record Admission(Optional<ModbusClient> client, Optional<String> claimed, String reason) {
    }

    Admission admit(List<X509Certificate> chain, String address) {
        DeviceAuthenticator.Result result = new DeviceAuthenticator(registry).authenticate(chain);
        Optional<String> claimed = result.claimed().map(id -> id.value());
        if (result.device().isEmpty()) {
            return new Admission(Optional.empty(), claimed, result.reason());
        }
        Device device = result.device().get();
        if (device.quarantined()) {
            return new Admission(Optional.empty(), claimed, "device " + device.id() + " is quarantined");
        }
        if (segmentQuarantined.test(device.segment())) {
            return new Admission(Optional.empty(), claimed, "device " + device.id() + "'s segment " + device.segment()
                    + " is quarantined");
        }
        Optional<String> role;
        try {
            role = RoleExtension.read(chain.get(0));
        } catch (IllegalArgumentException e) {
            return new Admission(Optional.empty(), claimed, "the role extension of device " + device.id()
                    + "'s certificate is malformed: " + e.getMessage());
        }
        return new Admission(Optional.of(new ModbusClient(address, Optional.of(device.id().value()), role)), claimed, "");
    }
}
