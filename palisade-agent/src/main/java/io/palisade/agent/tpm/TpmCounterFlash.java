package io.palisade.agent.tpm;

import io.palisade.firmware.boot.BootState;
import io.palisade.firmware.boot.Flash;
import io.palisade.firmware.boot.Slot;
import io.palisade.pki.tpm.TpmNvCounter;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A device's flash whose security counter lives in the TPM ({@link TpmNvCounter}) rather than on the flash itself:
 * whoever can rewrite the flash (an attacker with a programmer, a replaced storage card) can put an old image back,
 * but cannot lower the counter the boot verifier compares it with. Everything else is the flash's.
 */
public final class TpmCounterFlash implements Flash {

    private final Flash flash;
    private final TpmNvCounter counter;

    public TpmCounterFlash(Flash flash, TpmNvCounter counter) {
        this.flash = flash;
        this.counter = counter;
    }

    @Override
    public Optional<byte[]> readSlot(Slot slot) throws IOException {
        return flash.readSlot(slot);
    }

    @Override
    public void writeSlot(Slot slot, byte[] image) throws IOException {
        flash.writeSlot(slot, image);
    }

    @Override
    public Optional<BootState> readState() throws IOException {
        return flash.readState();
    }

    @Override
    public void writeState(BootState state) throws IOException {
        flash.writeState(state);
    }

    @Override
    public long securityCounter() throws IOException {
        return counter.read();
    }

    @Override
    public void raiseSecurityCounter(long value) throws IOException {
        counter.raise(value);
    }

    @Override
    public List<byte[]> keyRotations() throws IOException {
        return flash.keyRotations();
    }

    @Override
    public void appendKeyRotation(byte[] statement) throws IOException {
        flash.appendKeyRotation(statement);
    }
}
