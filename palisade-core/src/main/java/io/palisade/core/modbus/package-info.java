/**
 * The Modbus firewall's decisions, free of sockets and bytes: what a request asks ({@link ModbusRequest}: unit,
 * function, the tables and address ranges it reads or writes, the values it writes), the operators' rules
 * ({@link ModbusRule}: per client identity, role or source address, deny by default), and the decision
 * ({@link ModbusFirewall} → {@link ModbusDecision}: allowed, or refused with the rule or reason and the Modbus exception
 * code to answer). The wire format (MBAP, PDUs) is parsed by the legacy adapter module.
 */
package io.palisade.core.modbus;
