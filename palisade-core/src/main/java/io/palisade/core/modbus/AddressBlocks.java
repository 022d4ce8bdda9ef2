package io.palisade.core.modbus;

import java.time.Instant;
import java.util.Map;

/**
 * Addresses the Modbus listeners refuse for a while after detection's finding about them, as operators see and lift
 * them: a block ends by itself, and an operator who knows the finding was wrong (a commissioning scan) ends it early.
 */
public interface AddressBlocks {

    /** When no Modbus firewall runs in this process: nothing is blocked. */
    AddressBlocks NONE = new AddressBlocks() {
        @Override
        public Map<String, Instant> current() {
            return Map.of();
        }

        @Override
        public boolean unblock(String address) {
            return false;
        }
    };

    /** The blocked addresses now, with when each block ends. */
    Map<String, Instant> current();

    /** Ends the block of {@code address} now; false when it was not blocked. */
    boolean unblock(String address);
}
