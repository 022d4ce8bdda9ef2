/**
 * The Modbus/TCP firewall proxy: Modbus clients connect to Palisade, which frames their bytes (MBAP), parses each
 * request's PDU, asks core's {@link io.palisade.core.modbus.ModbusFirewall}, and forwards what it allows, byte for
 * byte, to the PLC on the isolated segment; a refusal is answered with a Modbus exception (or dropped, by policy) and
 * recorded as an event. The codec is written here on Netty rather than taken from a Modbus library: a firewall has
 * to see every byte, judge requests a library would refuse or silently repair, and forward exactly what it judged.
 */
package io.palisade.legacy.modbus;
