package io.palisade.firmware.boot;

import io.palisade.core.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The two slots, boot state, security counter and key rotations as files in one directory, for a Linux device
 * whose "firmware" is the application bundle the agent verifies before it starts it. Every write but a slot's
 * is atomic (a temporary file renamed into place, synced), which is all {@link Flash} asks; a slot may be torn,
 * and the boot verifier checks slots before every use anyway.
 */
public final class FileFlash implements Flash {

    private final Path dir;

    public FileFlash(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    private Path slot(Slot slot) {
        return dir.resolve("slot-" + slot.name().toLowerCase(java.util.Locale.ROOT) + ".img");
    }

    @Override
    public Optional<byte[]> readSlot(Slot slot) throws IOException {
        Path file = slot(slot);
        return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    @Override
    public void writeSlot(Slot slot, byte[] image) throws IOException {
        Files.write(slot(slot), image);
    }

    @Override
    public Optional<BootState> readState() throws IOException {
        Path file = dir.resolve("boot-state");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties state = new Properties();
        try (var in = Files.newInputStream(file)) {
            state.load(in);
        }
        try {
            return Optional.of(new BootState(Slot.valueOf(state.getProperty("active")),
                    slot(state.getProperty("pending")), Boolean.parseBoolean(state.getProperty("pending-is-test")),
                    Boolean.parseBoolean(state.getProperty("trial")), slot(state.getProperty("previous"))));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException("the boot state " + file + " is damaged: " + state);
        }
    }

    private static Optional<Slot> slot(String name) {
        return name == null || name.isEmpty() ? Optional.empty() : Optional.of(Slot.valueOf(name));
    }

    @Override
    public void writeState(BootState state) throws IOException {
        String text = "active=" + state.active() + "\npending=" + state.pending().map(Slot::name).orElse("")
                + "\npending-is-test=" + state.pendingIsTest() + "\ntrial=" + state.trial() + "\nprevious="
                + state.previous().map(Slot::name).orElse("") + "\n";
        AtomicFiles.write(dir.resolve("boot-state"), text.getBytes(StandardCharsets.US_ASCII), false);
    }

    @Override
    public long securityCounter() throws IOException {
        Path file = dir.resolve("security-counter");
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (NumberFormatException e) {
            throw new IOException("the security counter " + file + " is damaged");
        }
    }

    @Override
    public void raiseSecurityCounter(long value) throws IOException {
        if (value < securityCounter()) {
            throw new IOException("the security counter cannot go down from " + securityCounter() + " to " + value);
        }
        AtomicFiles.write(dir.resolve("security-counter"), Long.toString(value).getBytes(StandardCharsets.US_ASCII),
                false);
    }

    @Override
    public List<byte[]> keyRotations() throws IOException {
        List<byte[]> statements = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("key-rotation-[0-9]{6}\\.bin"))
                    .sorted().toList()) {
                statements.add(Files.readAllBytes(file));
            }
        }
        return statements;
    }

    @Override
    public void appendKeyRotation(byte[] statement) throws IOException {
        AtomicFiles.write(dir.resolve(String.format("key-rotation-%06d.bin", keyRotations().size() + 1)), statement,
                false);
    }
}
