package io.palisade.core.modbus;

import java.util.List;

/**
 * A client's request as the firewall judges it: the unit (slave) id it addresses, the function code, and what it
 * reads and writes. {@code accesses} is empty for functions that touch no table (diagnostics, device
 * identification); function 23 (read/write multiple registers) has two.
 */
public record ModbusRequest(int unit, int function, List<ModbusAccess> accesses) {

    public ModbusRequest {
        if (unit < 0 || unit > 255 || function < 1 || function > 127) {
            throw new IllegalArgumentException("unit " + unit + " / function " + function + " out of range");
        }
        accesses = List.copyOf(accesses);
    }

    public boolean writes() {
        return accesses.stream().anyMatch(ModbusAccess::write);
    }

    /** As an event shows it: {@code unit 1 function 16 (write holding-registers 100-103)}. */
    public String describe() {
        StringBuilder text = new StringBuilder("unit ").append(unit).append(" function ").append(function);
        if (!accesses.isEmpty()) {
            text.append(" (").append(String.join(", ", accesses.stream().map(ModbusAccess::describe).toList()))
                    .append(')');
        }
        return text.toString();
    }
}
