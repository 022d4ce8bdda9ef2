package io.palisade.legacy.modbus;

import io.palisade.core.modbus.ModbusAccess;
import io.palisade.core.modbus.ModbusDecision;
import io.palisade.core.modbus.ModbusRequest;
import io.palisade.core.modbus.ModbusTable;
import java.util.List;

/**
 * Reads a request PDU (Modbus Application Protocol v1.1b3, section 6) into the tables, addresses and values it
 * touches, checking each function's exact length and the specification's quantity limits: 2,000 coils or inputs and
 * 125 registers to read; 1,968 coils and 123 registers to write; 125 read and 121 written by function 23. Functions
 * 8 (diagnostics), 17 (report server id) and 43 (encapsulated interface; 14 reads the device identification) touch
 * no table and are left to the rules. Any other function code is a violation. Never throws.
 */
final class ModbusPdus {

    static final int MAX_READ_BITS = 2000;
    static final int MAX_READ_REGISTERS = 125;
    static final int MAX_WRITE_BITS = 1968;
    static final int MAX_WRITE_REGISTERS = 123;
    static final int MAX_READ_WRITE_REGISTERS = 121;

    private ModbusPdus() {
    }

    static ParsedPdu parse(int unit, byte[] pdu) {
        if (pdu.length == 0) {
            return ParsedPdu.violation("an empty PDU", ModbusDecision.ILLEGAL_FUNCTION);
        }
        int function = pdu[0] & 0xFF;
        return switch (function) {
            case 1 -> read(unit, pdu, ModbusTable.COILS, MAX_READ_BITS);
            case 2 -> read(unit, pdu, ModbusTable.DISCRETE_INPUTS, MAX_READ_BITS);
            case 3 -> read(unit, pdu, ModbusTable.HOLDING_REGISTERS, MAX_READ_REGISTERS);
            case 4 -> read(unit, pdu, ModbusTable.INPUT_REGISTERS, MAX_READ_REGISTERS);
            case 5 -> writeSingleCoil(unit, pdu);
            case 6 -> exact(pdu, 5).orElse(() -> ParsedPdu.of(new ModbusRequest(unit, 6, List.of(ModbusAccess.write(
                    ModbusTable.HOLDING_REGISTERS, u16(pdu, 1), new int[] {u16(pdu, 3)})))));
            case 15 -> writeMultipleCoils(unit, pdu);
            case 16 -> writeMultipleRegisters(unit, pdu);
            case 22 -> exact(pdu, 7).orElse(() -> ParsedPdu.of(new ModbusRequest(unit, 22, List.of(new ModbusAccess(
                    ModbusTable.HOLDING_REGISTERS, u16(pdu, 1), 1, true, new int[0])))));
            case 23 -> readWriteRegisters(unit, pdu);
            case 8 -> pdu.length >= 3 && pdu.length <= MbapFrame.MAX_PDU_BYTES
                    ? ParsedPdu.of(new ModbusRequest(unit, 8, List.of()))
                    : ParsedPdu.violation("a diagnostics request of " + pdu.length + " bytes",
                    ModbusDecision.ILLEGAL_DATA_VALUE);
            case 17 -> exact(pdu, 1).orElse(() -> ParsedPdu.of(new ModbusRequest(unit, 17, List.of())));
            case 43 -> exact(pdu, 4).orElse(() -> ParsedPdu.of(new ModbusRequest(unit, 43, List.of())));
            default -> ParsedPdu.violation("function " + function + " is not one Palisade inspects"
                    + (function > 127 ? " (an exception response sent as a request)" : ""),
                    ModbusDecision.ILLEGAL_FUNCTION);
        };
    }

    /** A length check that, when it fails, says so; otherwise defers to the parse. */
    private record Check(ParsedPdu failure) {
        ParsedPdu orElse(java.util.function.Supplier<ParsedPdu> parse) {
            return failure != null ? failure : parse.get();
        }
    }

    private static Check exact(byte[] pdu, int length) {
        return new Check(pdu.length == length ? null : ParsedPdu.violation("function " + (pdu[0] & 0xFF) + " with a PDU of "
                + pdu.length + " bytes (it has " + length + ")", ModbusDecision.ILLEGAL_DATA_VALUE));
    }

    private static ParsedPdu read(int unit, byte[] pdu, ModbusTable table, int max) {
        return exact(pdu, 5).orElse(() -> {
            int quantity = u16(pdu, 3);
            if (quantity < 1 || quantity > max) {
                return quantity(pdu, quantity, max);
            }
            return access(unit, pdu[0] & 0xFF, () -> List.of(ModbusAccess.read(table, u16(pdu, 1), quantity)));
        });
    }

    private static ParsedPdu writeSingleCoil(int unit, byte[] pdu) {
        return exact(pdu, 5).orElse(() -> {
            int value = u16(pdu, 3);
            if (value != 0x0000 && value != 0xFF00) {
                return ParsedPdu.violation("a single coil written as " + String.format("0x%04X", value)
                        + " (only 0x0000 and 0xFF00 mean off and on)", ModbusDecision.ILLEGAL_DATA_VALUE);
            }
            return ParsedPdu.of(new ModbusRequest(unit, 5, List.of(ModbusAccess.write(ModbusTable.COILS, u16(pdu, 1),
                    new int[] {value == 0 ? 0 : 1}))));
        });
    }

    private static ParsedPdu writeMultipleCoils(int unit, byte[] pdu) {
        if (pdu.length < 6) {
            return short15or16(pdu);
        }
        int quantity = u16(pdu, 3);
        int bytes = pdu[5] & 0xFF;
        if (quantity < 1 || quantity > MAX_WRITE_BITS) {
            return quantity(pdu, quantity, MAX_WRITE_BITS);
        }
        if (bytes != (quantity + 7) / 8 || pdu.length != 6 + bytes) {
            return counts(pdu, quantity, bytes);
        }
        int[] values = new int[quantity];
        for (int i = 0; i < quantity; i++) {
            values[i] = (pdu[6 + i / 8] >> (i % 8)) & 1;
        }
        return access(unit, 15, () -> List.of(ModbusAccess.write(ModbusTable.COILS, u16(pdu, 1), values)));
    }

    private static ParsedPdu writeMultipleRegisters(int unit, byte[] pdu) {
        if (pdu.length < 6) {
            return short15or16(pdu);
        }
        int quantity = u16(pdu, 3);
        int bytes = pdu[5] & 0xFF;
        if (quantity < 1 || quantity > MAX_WRITE_REGISTERS) {
            return quantity(pdu, quantity, MAX_WRITE_REGISTERS);
        }
        if (bytes != quantity * 2 || pdu.length != 6 + bytes) {
            return counts(pdu, quantity, bytes);
        }
        int[] values = new int[quantity];
        for (int i = 0; i < quantity; i++) {
            values[i] = u16(pdu, 6 + 2 * i);
        }
        return access(unit, 16, () -> List.of(ModbusAccess.write(ModbusTable.HOLDING_REGISTERS, u16(pdu, 1), values)));
    }

    private static ParsedPdu readWriteRegisters(int unit, byte[] pdu) {
        if (pdu.length < 10) {
            return ParsedPdu.violation("function 23 with a PDU of " + pdu.length + " bytes (at least 12)",
                    ModbusDecision.ILLEGAL_DATA_VALUE);
        }
        int readQuantity = u16(pdu, 3);
        int writeQuantity = u16(pdu, 7);
        int bytes = pdu[9] & 0xFF;
        if (readQuantity < 1 || readQuantity > MAX_READ_REGISTERS) {
            return quantity(pdu, readQuantity, MAX_READ_REGISTERS);
        }
        if (writeQuantity < 1 || writeQuantity > MAX_READ_WRITE_REGISTERS) {
            return quantity(pdu, writeQuantity, MAX_READ_WRITE_REGISTERS);
        }
        if (bytes != writeQuantity * 2 || pdu.length != 10 + bytes) {
            return counts(pdu, writeQuantity, bytes);
        }
        int[] values = new int[writeQuantity];
        for (int i = 0; i < writeQuantity; i++) {
            values[i] = u16(pdu, 10 + 2 * i);
        }
        return access(unit, 23, () -> List.of(ModbusAccess.read(ModbusTable.HOLDING_REGISTERS, u16(pdu, 1), readQuantity),
                ModbusAccess.write(ModbusTable.HOLDING_REGISTERS, u16(pdu, 5), values)));
    }

    /** Builds the request; a range running past address 65535 is a violation (illegal data address). */
    private static ParsedPdu access(int unit, int function, java.util.function.Supplier<List<ModbusAccess>> accesses) {
        try {
            return ParsedPdu.of(new ModbusRequest(unit, function, accesses.get()));
        } catch (IllegalArgumentException e) {
            return ParsedPdu.violation("function " + function + ": " + e.getMessage(), ModbusDecision.ILLEGAL_DATA_ADDRESS);
        }
    }

    private static ParsedPdu short15or16(byte[] pdu) {
        return ParsedPdu.violation("function " + (pdu[0] & 0xFF) + " with a PDU of " + pdu.length + " bytes (at least 8)",
                ModbusDecision.ILLEGAL_DATA_VALUE);
    }

    private static ParsedPdu quantity(byte[] pdu, int quantity, int max) {
        return ParsedPdu.violation("function " + (pdu[0] & 0xFF) + " asks for " + quantity + " items (1-" + max + ")",
                ModbusDecision.ILLEGAL_DATA_VALUE);
    }

    private static ParsedPdu counts(byte[] pdu, int quantity, int bytes) {
        return ParsedPdu.violation("function " + (pdu[0] & 0xFF) + ": " + quantity + " items, a byte count of " + bytes
                + " and " + (pdu.length - 6) + " bytes of values do not agree", ModbusDecision.ILLEGAL_DATA_VALUE);
    }

    private static int u16(byte[] pdu, int offset) {
        return ((pdu[offset] & 0xFF) << 8) | (pdu[offset + 1] & 0xFF);
    }
}
