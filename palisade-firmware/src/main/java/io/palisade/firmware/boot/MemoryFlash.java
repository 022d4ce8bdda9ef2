package io.palisade.firmware.boot;

import java.io.IOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Flash in memory for the simulator and tests, with an optional power cut: after a set number of
 * writes, the next slot write stores only half of its bytes (a torn write) and every write fails, as
 * if the device lost power. {@link #restorePower()} is the next power-on.
 */
public final class MemoryFlash implements Flash {

    /** Thrown by writes after the power was cut. */
    public static final class PowerLossException extends IOException {
        private static final long serialVersionUID = 1L;

        PowerLossException() {
            super("power lost");
        }
    }

    private final Map<Slot, byte[]> slots = new EnumMap<>(Slot.class);
    private BootState state;
    private long counter;
    private final java.util.List<byte[]> rotations = new java.util.ArrayList<>();
    private int writesUntilCut = Integer.MAX_VALUE;
    private int writes;

    /** Cuts the power after {@code writes} more writes have completed. */
    public void cutPowerAfter(int writes) {
        this.writesUntilCut = writes;
    }

    public void restorePower() {
        writesUntilCut = Integer.MAX_VALUE;
    }

    /** Writes attempted so far (for tests that cut the power at every step). */
    public int writes() {
        return writes;
    }

    private void beforeWrite() throws PowerLossException {
        writes++;
        if (writesUntilCut <= 0) {
            throw new PowerLossException();
        }
    }

    private void afterWrite() {
        if (writesUntilCut != Integer.MAX_VALUE) {
            writesUntilCut--;
        }
    }

    @Override
    public Optional<byte[]> readSlot(Slot slot) {
        return Optional.ofNullable(slots.get(slot)).map(byte[]::clone);
    }

    @Override
    public void writeSlot(Slot slot, byte[] image) throws IOException {
        if (writesUntilCut == 0) {
            writes++;
            slots.put(slot, Arrays.copyOf(image, image.length / 2));
            throw new PowerLossException();
        }
        beforeWrite();
        slots.put(slot, image.clone());
        afterWrite();
    }

    @Override
    public Optional<BootState> readState() {
        return Optional.ofNullable(state);
    }

    @Override
    public void writeState(BootState newState) throws IOException {
        beforeWrite();
        state = newState;
        afterWrite();
    }

    @Override
    public long securityCounter() {
        return counter;
    }

    @Override
    public void raiseSecurityCounter(long value) throws IOException {
        if (value < counter) {
            throw new IOException("the security counter cannot go down (" + counter + " -> " + value + ")");
        }
        beforeWrite();
        counter = value;
        afterWrite();
    }

    @Override
    public java.util.List<byte[]> keyRotations() {
        return rotations.stream().map(byte[]::clone).toList();
    }

    @Override
    public void appendKeyRotation(byte[] statement) throws IOException {
        beforeWrite();
        rotations.add(statement.clone());
        afterWrite();
    }
}
