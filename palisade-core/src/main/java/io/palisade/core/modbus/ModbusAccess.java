package io.palisade.core.modbus;

import java.util.Arrays;

/**
 * One read or write of a contiguous range of a table. For writes, {@code values} holds what is written: register
 * values (0-65535) or coil states (0 or 1), one per address.
 */
public record ModbusAccess(ModbusTable table, int address, int quantity, boolean write, int[] values) {

    public ModbusAccess {
        if (address < 0 || address > 0xFFFF || quantity < 1 || address + quantity - 1 > 0xFFFF) {
            throw new IllegalArgumentException("addresses " + address + " to " + (address + quantity - 1)
                    + " are outside 0-65535");
        }
        values = values.clone();
    }

    public static ModbusAccess read(ModbusTable table, int address, int quantity) {
        return new ModbusAccess(table, address, quantity, false, new int[0]);
    }

    public static ModbusAccess write(ModbusTable table, int address, int[] values) {
        return new ModbusAccess(table, address, values.length, true, values);
    }

    public int lastAddress() {
        return address + quantity - 1;
    }

    @Override
    public int[] values() {
        return values.clone();
    }

    /** As an event or log shows it: {@code write holding-registers 100-103}. */
    public String describe() {
        return (write ? "write " : "read ") + table.wireName() + " " + address + (quantity > 1 ? "-" + lastAddress() : "");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ModbusAccess that && table == that.table && address == that.address
                && quantity == that.quantity && write == that.write && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return ((table.hashCode() * 31 + address) * 31 + quantity) * 31 + Arrays.hashCode(values) + (write ? 1 : 0);
    }

    @Override
    public String toString() {
        return describe();
    }
}
