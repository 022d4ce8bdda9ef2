package io.palisade.app;

import io.palisade.control.service.TagSightings;
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
 * publishes in its own tree, so the gateway has proven which reader it is), and an LLRP connection to each reader
 * placed with an LLRP address (kept in step with the vault every {@value #RECONCILE_SECONDS} s). Reports are judged
 * on a thread of their own ({@link TagSightings}), off the link's and connections' threads; at most {@value #QUEUE}
 * wait, beyond that they are dropped and counted.
 */
public final class RfidReports implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RfidReports.class.getName());
    static final String FILTER = "devices/+/rfid/tags";
    static final int QUEUE = 1000;
    static final int RECONCILE_SECONDS = 5;

    private final BrokerLink link;
    private final ThreadPoolExecutor worker;
    private final AtomicLong dropped = new AtomicLong();
    private final java.util.Map<DeviceId, Llrp> llrp = new java.util.HashMap<>();
    private final java.util.concurrent.ScheduledExecutorService reconciler =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "rfid-llrp-readers");
                thread.setDaemon(true);
                return thread;
            });

    /** An LLRP connection and the address it was made for (a changed address means a new connection). */
    private record Llrp(String address, io.palisade.radio.llrp.LlrpReaderClient client) {
    }

    private RfidReports(BrokerLink link, ThreadPoolExecutor worker) {
        this.link = link;
        this.worker = worker;
    }

    public static RfidReports start(RunningPalisade palisade) {
        TagSightings vault = palisade.controlPlane().tagSightings();
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
        reports.reconciler.scheduleWithFixedDelay(() -> reports.reconcileLlrp(vault), 0, RECONCILE_SECONDS,
                TimeUnit.SECONDS);
        return reports;
    }

    /** One LLRP connection per reader placed with an LLRP address; none for the rest. */
    private void reconcileLlrp(TagSightings vault) {
        java.util.Map<DeviceId, String> wanted = new java.util.HashMap<>();
        try {
            vault.readers().forEach((id, reader) -> reader.llrp().ifPresent(address -> wanted.put(id, address)));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot read the RFID readers; LLRP connections stay as they are", e);
            return;
        }
        llrp.entrySet().removeIf(entry -> {
            boolean stale = !entry.getValue().address().equals(wanted.get(entry.getKey()));
            if (stale) {
                entry.getValue().client().close();
            }
            return stale;
        });
        wanted.forEach((reader, address) -> llrp.computeIfAbsent(reader, id -> {
            int colon = address.lastIndexOf(':');
            String host = address.substring(0, colon).replace("[", "").replace("]", "");
            var client = io.palisade.radio.llrp.LlrpReaderClient.start(id.value(),
                    java.net.InetSocketAddress.createUnresolved(host, Integer.parseInt(address.substring(colon + 1))),
                    tags -> submit(() -> vault.sightings(sightings(id, tags))),
                    reason -> submit(() -> vault.malformedLlrp(id, reason)));
            return new Llrp(address, client);
        }));
    }

    /** The 96-bit EPCs of an LLRP report as sightings; other EPC lengths are other systems' tags. */
    private static java.util.List<io.palisade.core.rfid.TagSighting> sightings(DeviceId reader,
            java.util.List<io.palisade.radio.llrp.TagReportData> tags) {
        java.time.Instant now = java.time.Instant.now();
        return tags.stream().filter(tag -> io.palisade.core.rfid.RfidToken.isValid(tag.epcHex()))
                .map(tag -> new io.palisade.core.rfid.TagSighting(io.palisade.core.rfid.RfidToken.parse(tag.epcHex()),
                        reader, tag.firstSeen().orElse(now), tag.antenna().orElse(0))).toList();
    }

    private void submit(Runnable judging) {
        try {
            worker.execute(() -> {
                try {
                    judging.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "an RFID report could not be judged", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException full) {
            if (dropped.incrementAndGet() % 100 == 1) {
                LOG.warning("RFID reports arrive faster than they are judged: " + dropped.get() + " dropped");
            }
        }
    }

    private void accept(TagSightings vault, String topic, byte[] payload) {
        String[] levels = topic.split("/");
        if (levels.length != 4 || !DeviceId.isValid(levels[1])) {
            return;
        }
        DeviceId reader = DeviceId.of(levels[1]);
        submit(() -> vault.report(reader, payload));
    }

    @Override
    public void close() {
        reconciler.shutdownNow();
        link.close();
        llrp.values().forEach(connection -> connection.client().close());
        worker.shutdown();
    }
}
