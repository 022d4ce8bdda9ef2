package io.palisade.firmware.boot;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The device's non-volatile storage as the bootloader sees it: two image slots, the boot state, the
 * security counter and the accepted key rotation statements. Implementations decide what "atomic" means on their medium; the bootloader relies
 * on {@link #writeState} being all-or-nothing and never on slot writes being so.
 */
public interface Flash {

    /** The slot's bytes, or empty when the slot was never written. */
    Optional<byte[]> readSlot(Slot slot) throws IOException;

    /** May be torn by a power loss: the bootloader verifies slot contents before every use. */
    void writeSlot(Slot slot, byte[] image) throws IOException;

    Optional<BootState> readState() throws IOException;

    /** All or nothing. */
    void writeState(BootState state) throws IOException;

    /** The stored security counter (0 when never set). */
    long securityCounter() throws IOException;

    /** Raises the counter; implementations must refuse to lower it, as fuses cannot be unblown. */
    void raiseSecurityCounter(long value) throws IOException;

    /** Accepted key rotation statements, oldest first ({@link KeyRotation}). */
    List<byte[]> keyRotations() throws IOException;

    /** Appends a statement; all or nothing. */
    void appendKeyRotation(byte[] statement) throws IOException;
}
