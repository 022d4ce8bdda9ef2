package io.palisade.core.modbus;

import java.util.Optional;

/**
 * Who sent a request: always the source address; with Modbus/TCP Security also the certificate's identity and the
 * role it carries.
 */
public record ModbusClient(String address, Optional<String> identity, Optional<String> role) {

    public static ModbusClient legacy(String address) {
        return new ModbusClient(address, Optional.empty(), Optional.empty());
    }

    public String describe() {
        return identity.map(id -> id + role.map(r -> " (role " + r + ")").orElse("") + " at " + address).orElse(address);
    }
}
