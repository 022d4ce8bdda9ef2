package io.palisade.control.service;

import io.palisade.core.detection.BehaviourStore;
import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.event.TrafficObserver;
import io.palisade.detect.Detector;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Detection follows a device from instance to instance. With several instances, a device's traffic is seen only by
 * the instance holding its session, so that instance's detector learns it; when the session moves (the instance
 * failed, a rolling restart, a load balancer's choice), what was learned moves through the shared store: saved when
 * the session ends and every {@link #SAVE_EVERY} while it lasts (an instance killed outright cannot save at the
 * end), taken back by the instance the device connects to next. The device is then not watched through a new
 * learning period, during which an attacker who took it over elsewhere would go unnoticed.
 *
 * <p>Which state wins: a session is on one instance at a time, so at a connection the state saved by another
 * instance is the newer one (the store keeps, per device, the save of whoever saw it last). The instance the device
 * left may still be saving (a rolling restart ends thousands of sessions at once), so the state is looked up at the
 * connection and again {@link #RETRIES later}; a state is taken at most once per save. What a device sends between
 * its connection and the adoption is learned, then replaced by the adopted state.
 *
 * <p>Sits in front of the detector as the gateway's {@link TrafficObserver}: every observation goes on to the
 * detector unchanged, and the store work runs on a thread of its own, never on the gateway's I/O threads.
 */
public final class BehaviourHandover implements TrafficObserver, AutoCloseable {

    /** How often the state of devices seen since the last save is saved while their sessions last. */
    public static final Duration SAVE_EVERY = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(BehaviourHandover.class.getName());
    /** Loads and saves waiting; a reconnect storm beyond this skips some (counted) rather than queue memory. */
    private static final int QUEUE = 10_000;
    /** When the state is looked up again after a connection, for a save the previous instance had not made yet. */
    static final java.util.List<Duration> RETRIES = java.util.List.of(Duration.ofSeconds(2), Duration.ofSeconds(10));

    private final Detector detector;
    private final BehaviourStore store;
    private final String instance;
    private final java.util.concurrent.ScheduledThreadPoolExecutor worker;
    private final java.util.concurrent.atomic.AtomicInteger queued = new java.util.concurrent.atomic.AtomicInteger();
    /** Devices with a session here, each with the last-seen time of the state last adopted for it (or EPOCH). */
    private final java.util.concurrent.ConcurrentHashMap<DeviceId, java.time.Instant> sessions =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong adopted = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    public BehaviourHandover(Detector detector, BehaviourStore store, String instance) {
        this.detector = detector;
        this.store = store;
        this.instance = instance;
        this.worker = new java.util.concurrent.ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "palisade-behaviour-handover");
            thread.setDaemon(true);
            return thread;
        });
        // At close the saves waiting still run; the later lookups of devices' states do not matter any more.
        worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public void connected(Device device) {
        detector.connected(device);
        sessions.put(device.id(), java.time.Instant.EPOCH);
        submit(Duration.ZERO, () -> adopt(device.id()));
        for (Duration retry : RETRIES) {
            submit(retry, () -> adopt(device.id()));
        }
    }

    @Override
    public void disconnected(DeviceId device) {
        detector.disconnected(device);
        sessions.remove(device);
        submit(Duration.ZERO, () -> save(device));
    }

    /** Runs {@code work} on the handover's thread after {@code delay}, unless too much is waiting already. */
    private void submit(Duration delay, Runnable work) {
        if (queued.incrementAndGet() > QUEUE) {
            queued.decrementAndGet();
            skipped.incrementAndGet();
            return;
        }
        try {
            worker.schedule(() -> {
                queued.decrementAndGet();
                work.run();
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            queued.decrementAndGet();
        }
    }

    @Override
    public void published(DeviceId device, String topic, ByteBuffer payload) {
        detector.published(device, topic, payload);
    }

    @Override
    public void subscribed(DeviceId device, String filter) {
        detector.subscribed(device, filter);
    }

    @Override
    public void delivered(DeviceId device, int payloadBytes) {
        detector.delivered(device, payloadBytes);
    }

    @Override
    public void throttled(DeviceId device, long pauseNanos) {
        detector.throttled(device, pauseNanos);
    }

    @Override
    public void handshakeFailed(String address) {
        detector.handshakeFailed(address);
    }

    @Override
    public void publishedFrom(String address, String topic, ByteBuffer payload) {
        detector.publishedFrom(address, topic, payload);
    }

    /** Saves the state of every device seen since the last pass (scheduled every {@link #SAVE_EVERY}). */
    public void saveRecent() {
        for (DeviceId device : detector.devicesSeenWithin(SAVE_EVERY.plusSeconds(5))) {
            submit(Duration.ZERO, () -> save(device));
        }
    }

    /**
     * At start, before traffic: the cohort models another instance saved last, for the profiles this instance has
     * none of (a new instance; one that restarts has its own from its checkpoint file). Returns how many it took.
     */
    public int adoptCohorts() {
        try {
            var saved = store.newestCohortsOtherThan(instance);
            if (saved.isEmpty()) {
                return 0;
            }
            int taken = detector.adoptCohorts(saved.get().state());
            if (taken > 0) {
                LOG.log(System.Logger.Level.INFO, "detection: " + taken + " cohort models taken from instance "
                        + saved.get().instance() + " (saved " + saved.get().lastSeen() + ")");
            }
            return taken;
        } catch (java.io.IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "detection: the cohort models saved by other instances could not be"
                    + " taken (" + e.getMessage() + "); learning them afresh");
            return 0;
        }
    }

    /** Saves this instance's cohort models for instances that start later (scheduled with the checkpoint). */
    public void saveCohorts() {
        try {
            store.saveCohorts(instance, detector.exportCohorts(), java.time.Instant.now());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "detection: could not save the cohort models for the other instances ("
                    + e.getMessage() + "); the next pass tries again");
        }
    }

    /** Devices whose state was taken over from another instance since the start. */
    public long adopted() {
        return adopted.get();
    }

    /** Loads and saves dropped because too many waited. */
    public long skipped() {
        return skipped.get();
    }

    private void adopt(DeviceId device) {
        try {
            java.time.Instant taken = sessions.get(device);
            if (taken == null) {
                return; // the session ended meanwhile
            }
            var saved = store.load(device);
            if (saved.isEmpty() || saved.get().instance().equals(instance) || !saved.get().lastSeen().isAfter(taken)) {
                return; // nothing learned elsewhere, this instance saved last, or that state is already taken
            }
            detector.adoptDevice(device, new Detector.DeviceState(saved.get().state(), saved.get().lastSeen()));
            if (sessions.replace(device, taken, saved.get().lastSeen())) {
                adopted.incrementAndGet();
                LOG.log(System.Logger.Level.DEBUG, "device " + device + ": continuing from what instance "
                        + saved.get().instance() + " learned of it (last seen there " + saved.get().lastSeen() + ")");
            }
        } catch (java.io.IOException e) {
            LOG.log(System.Logger.Level.WARNING, "device " + device + ": the learned state saved by another instance"
                    + " cannot be read (" + e.getMessage() + "); learning it afresh");
        } catch (RuntimeException e) { // the store is away: detection goes on with what this instance knows
            LOG.log(System.Logger.Level.WARNING, "device " + device + ": could not load its learned state ("
                    + e.getMessage() + "); learning it afresh");
        }
    }

    private void save(DeviceId device) {
        try {
            detector.exportDevice(device).ifPresent(state ->
                    store.save(device, new BehaviourStore.Saved(state.state(), state.lastSeen(), instance)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "device " + device + ": could not save its learned state for the"
                    + " other instances (" + e.getMessage() + "); the next pass tries again");
        }
    }

    @Override
    public void close() {
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
