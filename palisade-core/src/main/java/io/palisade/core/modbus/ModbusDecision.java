package io.palisade.core.modbus;

/**
 * The firewall's answer to one request. A refusal names the rule that decided ({@code default-deny} when none
 * covered the client, {@code protocol} for a request that breaks Modbus itself) and why, and carries the Modbus
 * exception code to answer with: 01 illegal function, 02 illegal data address, 03 illegal data value (and, from the
 * proxy's routing, 10 and 11: no PLC for the unit, its PLC unreachable).
 */
public record ModbusDecision(boolean allowed, String rule, String reason, int exceptionCode) {

    public static final int ILLEGAL_FUNCTION = 1;
    public static final int ILLEGAL_DATA_ADDRESS = 2;
    public static final int ILLEGAL_DATA_VALUE = 3;
    /** Gateway path unavailable: no PLC serves the unit. */
    public static final int GATEWAY_PATH_UNAVAILABLE = 10;
    /** Gateway target device failed to respond: its PLC cannot be reached. */
    public static final int GATEWAY_TARGET_FAILED = 11;

    public static ModbusDecision allow(String rule) {
        return new ModbusDecision(true, rule, "allowed", 0);
    }

    public static ModbusDecision refuse(String rule, String reason, int exceptionCode) {
        return new ModbusDecision(false, rule, reason, exceptionCode);
    }
}
