package io.palisade.core.modbus;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Decides each Modbus request: the first rule that applies to the client and allows the request wins (then its write
 * rate to that unit is charged); if no rule allows it, it is refused with the reason of the first rule that applied,
 * or as {@code default-deny} when none did. Rules are replaced as a whole ({@link #replaceRules}), so a change made
 * while clients are connected applies to their next request. Thread-safe.
 */
public final class ModbusFirewall {

    public static final String DEFAULT_DENY = "default-deny";
    private volatile List<ModbusRule> rules = List.of();
    private final Map<String, Bucket> writeBuckets = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    /** Writes allowed now, refilled at the rule's rate up to a burst of one second's worth (at least one). */
    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(double rate, long now) {
            tokens = Math.max(1, rate);
            at = now;
        }

        synchronized boolean take(double rate, long now) {
            tokens = Math.min(Math.max(1, rate), tokens + (now - at) / 1e9 * rate);
            at = now;
            if (tokens < 1) {
                return false;
            }
            tokens--;
            return true;
        }
    }

    public ModbusFirewall(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    public void replaceRules(List<ModbusRule> replacement) {
        rules = List.copyOf(replacement);
        writeBuckets.clear();
    }

    public ModbusDecision decide(ModbusClient client, ModbusRequest request) {
        ModbusDecision first = null;
        for (ModbusRule rule : rules) {
            if (!rule.appliesTo(client)) {
                continue;
            }
            ModbusDecision decision = rule.judge(request);
            if (decision.allowed()) {
                return request.writes() ? chargeWrite(rule, request) : decision;
            }
            if (first == null) {
                first = decision;
            }
        }
        return first != null ? first : ModbusDecision.refuse(DEFAULT_DENY, "no rule covers " + client.describe(),
                ModbusDecision.ILLEGAL_FUNCTION);
    }

    /** A token bucket per rule and unit: {@code writesPerSecond} a second, bursts of as many. */
    private ModbusDecision chargeWrite(ModbusRule rule, ModbusRequest request) {
        if (rule.writesPerSecond().isEmpty()) {
            return ModbusDecision.allow(rule.name());
        }
        double rate = rule.writesPerSecond().get();
        long now = nanoTime.getAsLong();
        Bucket bucket = writeBuckets.computeIfAbsent(rule.name() + "/" + request.unit(), key -> new Bucket(rate, now));
        if (!bucket.take(rate, now)) {
            return ModbusDecision.refuse(rule.name(), "more than " + rate + " writes a second to unit "
                    + request.unit(), ModbusDecision.ILLEGAL_FUNCTION);
        }
        return ModbusDecision.allow(rule.name());
    }
}
