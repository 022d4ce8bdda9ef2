package io.palisade.pki.command;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Nonces a device has accepted, each kept until its command expires (after that the expiry check
 * refuses the command anyway), so memory stays bounded by the commands alive at once.
 */
public final class ReplayGuard {

    /** A device handles a few commands a day; more live nonces than this means a flood, which is refused. */
    public static final int MAX_LIVE_NONCES = 1024;

    private final Map<String, Instant> seen = new HashMap<>();

    /** True the first time {@code nonce} is presented before {@code expiresAt}; false for a replay or a flood. */
    public synchronized boolean firstUse(String nonce, Instant expiresAt, Instant now) {
        seen.values().removeIf(expiry -> !expiry.isAfter(now));
        if (seen.containsKey(nonce) || seen.size() >= MAX_LIVE_NONCES) {
            return false;
        }
        seen.put(nonce, expiresAt);
        return true;
    }
}
