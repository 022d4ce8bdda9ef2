package io.palisade.control.service;

import io.palisade.core.modbus.ModbusFirewall;
import io.palisade.core.modbus.ModbusRule;
import io.palisade.core.modbus.ModbusRuleStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The Modbus firewall's rules as operators change them: stored first, then put into the running firewall as a whole
 * (connected clients meet the change at their next request); each change is an {@code admin.change} event with the
 * rule before and after.
 */
public final class ModbusRules {

    private final ModbusRuleStore store;
    private final ModbusFirewall firewall;
    private final Events events;
    private final Clock clock;

    public ModbusRules(ModbusRuleStore store, ModbusFirewall firewall, Events events, Clock clock) {
        this.store = store;
        this.firewall = firewall;
        this.events = events;
        this.clock = clock;
    }

    /** Puts the stored rules into the firewall (at start). */
    public void load() {
        firewall.replaceRules(store.list());
    }

    public List<ModbusRule> list() {
        return store.list();
    }

    public ModbusRule put(ModbusRule rule, String actor) {
        Optional<ModbusRule> before = find(rule.name());
        store.put(rule, clock.instant());
        load();
        events.change(actor, "modbus-rule", rule.name(), before.map(r -> r.toJson().toString()).orElse("none"),
                rule.toJson().toString());
        return rule;
    }

    public void delete(String name, String actor) throws Refusal {
        Optional<ModbusRule> before = find(name);
        if (before.isEmpty() || !store.delete(name)) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "there is no Modbus rule '" + name + "'");
        }
        load();
        events.change(actor, "modbus-rule", name, before.get().toJson().toString(), "none");
    }

    private Optional<ModbusRule> find(String name) {
        return store.list().stream().filter(rule -> rule.name().equals(name)).findFirst();
    }
}
