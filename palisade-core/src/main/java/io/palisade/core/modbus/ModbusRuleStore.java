package io.palisade.core.modbus;

import java.time.Instant;
import java.util.List;

/** The Modbus firewall's rules, durable, in name order. */
public interface ModbusRuleStore {

    List<ModbusRule> list();

    /** Adds or replaces the rule of that name. */
    void put(ModbusRule rule, Instant now);

    /** False when there was no such rule. */
    boolean delete(String name);
}
