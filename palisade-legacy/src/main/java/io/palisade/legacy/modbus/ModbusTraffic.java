package io.palisade.legacy.modbus;

import io.palisade.core.modbus.ModbusAccess;
import io.palisade.core.modbus.ModbusRequest;

/**
 * How an allowed Modbus request looks to detection, which learns devices' normal traffic as topics and payloads:
 * {@code modbus/UNIT/FUNCTION/TABLE/BLOCK}, where BLOCK is the first address rounded down to
 * {@value #BLOCK} (so a device polling its usual registers makes a few topics, and one touching a new unit, function
 * or region of a table makes new ones, which detection's features and model notice: distinct and new topics, rates);
 * the payload is the PDU.
 */
final class ModbusTraffic {

    static final int BLOCK = 100;

    private ModbusTraffic() {
    }

    static String topic(ModbusRequest request) {
        StringBuilder topic = new StringBuilder("modbus/").append(request.unit()).append('/').append(request.function());
        if (!request.accesses().isEmpty()) {
            // the last access: for function 23 (read and write), the write
            ModbusAccess last = request.accesses().get(request.accesses().size() - 1);
            topic.append('/').append(last.table().wireName()).append('/').append(last.address() / BLOCK * BLOCK);
        }
        return topic.toString();
    }
}
