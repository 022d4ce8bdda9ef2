package io.palisade.legacy.modbus;

import io.palisade.core.modbus.ModbusRequest;
import java.util.Optional;

/**
 * A request PDU read into what it asks, or why it is not a valid Modbus request (with the exception code a server
 * answers it with: 01 for a function Palisade does not inspect, 03 for a malformed or over-limit request).
 */
record ParsedPdu(Optional<ModbusRequest> request, String violation, int exceptionCode) {

    static ParsedPdu of(ModbusRequest request) {
        return new ParsedPdu(Optional.of(request), "", 0);
    }

    static ParsedPdu violation(String why, int exceptionCode) {
        return new ParsedPdu(Optional.empty(), why, exceptionCode);
    }
}
