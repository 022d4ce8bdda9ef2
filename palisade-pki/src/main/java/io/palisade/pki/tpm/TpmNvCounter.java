package io.palisade.pki.tpm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;

/**
 * A monotonic counter in TPM NV memory for anti-rollback: an NV index of type <em>bits</em>, whose bits can be set
 * but never cleared, holding the value as that many low bits set (so at most {@value #MAX}). Unlike a TPM counter
 * index, whose first increment jumps to the highest value any counter of the TPM ever had, it starts at 0 and moves
 * only where it is told. Rewriting the flash cannot lower it: the TPM refuses to clear a bit, and redefining the
 * index needs it undefined first, which takes the owner's authorisation.
 */
public final class TpmNvCounter {

    public static final int MAX = 64;
    /** The first index of the owner's NV range: where Palisade keeps the security counter by default. */
    public static final int DEFAULT_INDEX = 0x01500001;

    private final Tpm2Tools tpm;
    private final int index;

    private TpmNvCounter(Tpm2Tools tpm, int index) {
        this.tpm = tpm;
        this.index = index;
    }

    /** The counter at {@code index}, defined there first if the TPM has no such index yet. */
    public static TpmNvCounter open(Tpm2Tools tpm, int index) throws IOException {
        if (index < 0x01000000 || index > 0x01ffffff) {
            throw new IllegalArgumentException(TpmKeys.hex(index) + " is not an NV index (0x01000000-0x01ffffff)");
        }
        TpmNvCounter counter = new TpmNvCounter(tpm, index);
        tpm.exclusive((scratch, tools) -> {
            try {
                tools.command(scratch, "tpm2_nvreadpublic", TpmKeys.hex(index));
            } catch (IOException undefined) {
                tools.command(scratch, "tpm2_nvdefine", TpmKeys.hex(index), "-C", "o", "-s", "8", "-a",
                        "nt=bits|ownerread|ownerwrite|authread|authwrite");
            }
            return null;
        });
        return counter;
    }

    public long read() throws IOException {
        return tpm.exclusive((scratch, tools) -> {
            try {
                tools.command(scratch, "tpm2_nvread", TpmKeys.hex(index), "-C", "o", "-s", "8", "-o", "value.bin");
            } catch (IOException e) {
                if (e.getMessage().contains("0x14A") || e.getMessage().contains("before being initialized")) {
                    return 0L; // no bit was ever set
                }
                throw e;
            }
            return (long) Long.bitCount(ByteBuffer.wrap(Files.readAllBytes(scratch.resolve("value.bin"))).getLong());
        });
    }

    /** Raises the counter to {@code value}; a lower value changes nothing (the TPM could not lower it anyway). */
    public void raise(long value) throws IOException {
        if (value < 0 || value > MAX) {
            throw new IOException("a TPM-backed security counter holds 0 to " + MAX + ", not " + value);
        }
        if (value == 0) {
            return;
        }
        long mask = value == 64 ? -1L : (1L << value) - 1;
        tpm.exclusive((scratch, tools) -> tools.command(scratch, "tpm2_nvsetbits", TpmKeys.hex(index), "-C", "o",
                "-i", "0x" + Long.toHexString(mask)));
    }
}
