package io.palisade.core.modbus;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The four Modbus data tables: single bits (coils, discrete inputs) and 16-bit registers (holding, input). */
public enum ModbusTable {
    COILS("coils", true),
    DISCRETE_INPUTS("discrete-inputs", false),
    HOLDING_REGISTERS("holding-registers", true),
    INPUT_REGISTERS("input-registers", false);

    private final String wireName;
    private final boolean writable;

    ModbusTable(String wireName, boolean writable) {
        this.wireName = wireName;
        this.writable = writable;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether any function writes this table (discrete and input registers are read-only by definition). */
    public boolean writable() {
        return writable;
    }

    public static ModbusTable fromWireName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT).strip();
        return Arrays.stream(values()).filter(t -> t.wireName.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown Modbus table '" + name + "'; tables: "
                        + Arrays.stream(values()).map(ModbusTable::wireName).collect(Collectors.joining(", "))));
    }
}
