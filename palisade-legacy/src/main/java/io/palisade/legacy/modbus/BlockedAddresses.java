package io.palisade.legacy.modbus;

import io.palisade.core.event.EventSink;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.event.Severity;
import io.palisade.core.net.IpLiteral;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Addresses the Modbus proxies refuse for a while: a legacy master has only its address, so when detection raises a
 * high or critical finding about an address (a scan of the register space, a burst of refused writes, credential
 * guessing elsewhere), that address is blocked from every Modbus listener for {@value #BLOCK_MINUTES} minutes, its
 * open connections are closed, and one {@code acl.denied} event says so. Fed as an event-bus subscriber; a device's
 * finding is not acted on here (the device is quarantined, which cuts its Modbus/TCP Security sessions).
 */
public final class BlockedAddresses implements EventSink, io.palisade.core.modbus.AddressBlocks {

    public static final int BLOCK_MINUTES = 10;
    private static final System.Logger LOG = System.getLogger(BlockedAddresses.class.getName());

    private final Map<String, Instant> until = new ConcurrentHashMap<>();
    private final List<Consumer<String>> onBlock = new CopyOnWriteArrayList<>();
    private final EventSink durableEvents;
    private final Clock clock;
    /** Records blocks off the emitting thread (a gateway or proxy I/O thread must not wait for the store). */
    private final java.util.concurrent.Executor recorder = io.palisade.legacy.DaemonThreads.pool("modbus-blocks", 1);

    /**
     * @param durableEvents where a block is recorded: a sink that stores each event (not one that aggregates a flood
     *                      from the blocked address with the rest of it)
     */
    public BlockedAddresses(EventSink durableEvents, Clock clock) {
        this.durableEvents = durableEvents;
        this.clock = clock;
    }

    @Override
    public void emit(SecurityEvent event) {
        if (event.type() != EventType.ANOMALY_DETECTED || event.device().isPresent()
                || event.severity().compareTo(Severity.HIGH) < 0 || IpLiteral.parse(event.source()).isEmpty()) {
            return;
        }
        String address = IpLiteral.parse(event.source()).get().getHostAddress();
        Instant now = clock.instant();
        Instant end = now.plus(Duration.ofMinutes(BLOCK_MINUTES));
        Instant previous = until.put(address, end);
        if (previous != null && !now.isAfter(previous)) {
            return; // still blocked: extended, said once (a block that had run out counts as new)
        }
        String rule = event.details().getOrDefault("rule", "?");
        LOG.log(System.Logger.Level.WARNING, "blocking " + address + " from the Modbus firewall until " + end
                + " after detection's finding " + rule + ": " + event.message());
        onBlock.forEach(listener -> listener.accept(address));
        SecurityEvent block = SecurityEvent.of(now, EventType.ACL_DENIED, Severity.HIGH, null, address,
                "Modbus/TCP firewall: " + address + " blocked for " + BLOCK_MINUTES + " minutes after detection's"
                        + " finding " + rule).withDetails(Map.of("protocol", "modbus", "action", "block",
                "rule", rule, "until", end.toString(), "alert_id", event.details().getOrDefault("alert_id", "")));
        recorder.execute(() -> {
            try {
                durableEvents.emit(block);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "could not record the block of " + address + ": " + e.getMessage());
            }
        });
    }

    /** Whether {@code address} is blocked now (an expired block is forgotten). */
    public boolean blocked(String address) {
        Instant end = until.get(address);
        if (end == null) {
            return false;
        }
        if (clock.instant().isAfter(end)) {
            until.remove(address, end);
            return false;
        }
        return true;
    }

    @Override
    public Map<String, Instant> current() {
        Instant now = clock.instant();
        Map<String, Instant> active = new java.util.TreeMap<>();
        until.forEach((address, end) -> {
            if (!now.isAfter(end)) {
                active.put(address, end);
            }
        });
        return active;
    }

    @Override
    public boolean unblock(String address) {
        Instant end = until.remove(address);
        return end != null && !clock.instant().isAfter(end);
    }

    /** Told each address as it is blocked (a proxy closes that address's open connections). */
    void onBlock(Consumer<String> listener) {
        onBlock.add(listener);
    }
}
