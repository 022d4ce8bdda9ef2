package io.palisade.agent.tamper;

import com.sun.jna.Native;
import io.palisade.core.tamper.TamperSensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Switch events ({@code EV_SW}) of one input device, such as a case-intrusion or lid switch: a switch that
 * turns on (value 1) is a signal; turning off again is not. Reads {@code /dev/input/eventN}, or a FIFO that
 * carries the same 24-byte records (how the tests, and machines without the device, feed it). A
 * {@code FileChannel}, so {@link #close} ends a blocked read at once.
 */
public final class EvdevSwitches implements TamperSource {

    private static final System.Logger LOG = System.getLogger(EvdevSwitches.class.getName());
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;

    private final Path device;
    private final Set<Integer> codes;
    private FileChannel channel;
    private volatile boolean running;

    /** @param codes the switch codes that count (empty: every switch of the device) */
    public EvdevSwitches(Path device, Set<Integer> codes) {
        this.device = device;
        this.codes = Set.copyOf(codes);
    }

    @Override
    public void start(Consumer<TamperSignal> signals) throws IOException {
        if (!Files.exists(device)) {
            throw new IOException("no input device at " + device);
        }
        // A FIFO opened read-only blocks until a writer comes and reads end-of-file when it goes; opened
        // read-write it does neither. An input device is opened read-only, as the kernel expects.
        int mode = (Integer) Files.getAttribute(device, "unix:mode");
        channel = (mode & S_IFMT) == S_IFIFO
                ? FileChannel.open(device, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(device, StandardOpenOption.READ);
        running = true;
        Thread reader = new Thread(() -> read(signals), "palisade-agent-evdev");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(Consumer<TamperSignal> signals) {
        int size = InputEvent.size(Native.LONG_SIZE);
        ByteBuffer record = ByteBuffer.allocate(size);
        try {
            while (running) {
                record.clear();
                while (record.hasRemaining()) {
                    if (channel.read(record) < 0) {
                        LOG.log(System.Logger.Level.ERROR, "input device " + device + " went away");
                        return;
                    }
                }
                record.flip();
                InputEvent event = InputEvent.decode(record, Native.LONG_SIZE);
                if (event.type() == InputEvent.EV_SW && event.value() == 1
                        && (codes.isEmpty() || codes.contains(event.code()))) {
                    signals.accept(new TamperSignal(TamperSensor.SWITCH, InputEvent.switchName(event.code()),
                            "switch turned on at " + device));
                }
            }
        } catch (AsynchronousCloseException closed) {
            // closed on purpose
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "stopped reading " + device + ": " + e.getMessage());
        }
    }

    @Override
    public String describe() {
        return "switches of " + device + (codes.isEmpty() ? "" : " " + codes.stream().map(InputEvent::switchName).toList());
    }

    @Override
    public void close() {
        running = false;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing " + device + ": " + e.getMessage());
            }
        }
    }
}
