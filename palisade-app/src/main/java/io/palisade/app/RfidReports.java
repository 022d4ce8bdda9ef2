package io.palisade.app;

import io.palisade.control.service.RfidVault;
import io.palisade.core.device.DeviceId;
import io.palisade.gateway.BrokerLink;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Readers' tag reports into the vault: a broker link of its own subscribed to {@code devices/+/rfid/tags} (a reader
 * publishes in its own tree, so the gateway has proven which reader it is) hands each report to
 * {@link RfidVault#report} on a thread of its own, off the link's I/O thread; at most {@value #QUEUE} reports wait,
 * beyond that they are dropped and counted.
 */
public final class RfidReports implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RfidReports.class.getName());
    static final String FILTER = "devices/+/rfid/tags";
    static final int QUEUE = 1000;

    private final BrokerLink link;
    private final ThreadPoolExecutor worker;
    private final AtomicLong dropped = new AtomicLong();

    private RfidReports(BrokerLink link, ThreadPoolExecutor worker) {
        this.link = link;
        this.worker = worker;
    }

    public static RfidReports start(RunningPalisade palisade) {
        RfidVault vault = palisade.controlPlane().rfid();
        BrokerLink link = BrokerLink.connect(palisade.upstreamAddress(), "palisade-rfid-" + ProcessHandle.current()
                .pid());
        ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                runnable -> {
                    Thread thread = new Thread(runnable, "rfid-reports");
                    thread.setDaemon(true);
                    return thread;
                });
        RfidReports reports = new RfidReports(link, worker);
        link.subscribe(FILTER, (topic, payload) -> reports.accept(vault, topic, payload));
        return reports;
    }

    private void accept(RfidVault vault, String topic, byte[] payload) {
        String[] levels = topic.split("/");
        if (levels.length != 4 || !DeviceId.isValid(levels[1])) {
            return;
        }
        DeviceId reader = DeviceId.of(levels[1]);
        try {
            worker.execute(() -> {
                try {
                    vault.report(reader, payload);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "RFID report of reader " + reader + " could not be judged", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException full) {
            if (dropped.incrementAndGet() % 100 == 1) {
                LOG.warning("RFID reports arrive faster than they are judged: " + dropped.get() + " dropped");
            }
        }
    }

    @Override
    public void close() {
        link.close();
        worker.shutdown();
    }
}
