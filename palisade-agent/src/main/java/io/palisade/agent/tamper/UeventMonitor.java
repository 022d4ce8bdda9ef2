package io.palisade.agent.tamper;

import io.palisade.agent.linux.NetlinkSocket;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

/** Kernel uevents through a netlink socket → USB and storage insertion signals ({@link UeventRules}). */
public final class UeventMonitor implements TamperSource {

    private static final System.Logger LOG = System.getLogger(UeventMonitor.class.getName());
    /** A uevent is at most a page plus its header. */
    private static final int MAX_MESSAGE = 8192;

    private NetlinkSocket socket;
    private Thread reader;
    private volatile boolean running;

    @Override
    public void start(Consumer<TamperSignal> signals) throws IOException {
        socket = NetlinkSocket.uevents();
        running = true;
        reader = new Thread(() -> read(signals), "palisade-agent-uevents");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(Consumer<TamperSignal> signals) {
        byte[] buffer = new byte[MAX_MESSAGE];
        while (running) {
            try {
                Optional<Integer> length = socket.receive(buffer);
                if (length.isEmpty()) {
                    continue;
                }
                Uevent.parse(buffer, length.get()).flatMap(UeventRules::signal).ifPresent(signals);
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "ignored a malformed kernel uevent: " + e.getMessage());
            } catch (IOException e) {
                if (running) {
                    LOG.log(System.Logger.Level.ERROR, "stopped watching kernel uevents: " + e.getMessage());
                }
                return;
            }
        }
    }

    @Override
    public String describe() {
        return "kernel uevents (USB devices and disks attached)";
    }

    @Override
    public void close() {
        running = false;
        if (socket != null) {
            socket.close();
        }
    }
}
