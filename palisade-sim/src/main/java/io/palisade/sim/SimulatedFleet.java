package io.palisade.sim;

import io.palisade.core.device.DeviceId;
import io.palisade.pki.est.DeviceCredentials;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fleet of simulated devices, provisioned (registered and enrolled) and started in parallel. A
 * given fraction of them fails the self-check of any new firmware, chosen at random with a fixed
 * seed so that a run can be repeated.
 */
public final class SimulatedFleet implements AutoCloseable {

    /** Registers a device with the running instance and enrolls it; returns its credentials. */
    @FunctionalInterface
    public interface Provisioner {
        DeviceCredentials provision(DeviceId id) throws Exception;
    }

    private static final int PARALLELISM = 8;

    private final List<SimulatedDevice> devices;

    private SimulatedFleet(List<SimulatedDevice> devices) {
        this.devices = devices;
    }

    public static SimulatedFleet start(SimulationConfig config, Provisioner provisioner, String prefix, int count,
                                       double failingFraction, byte[] factoryImage, long seed) throws Exception {
        if (count < 1) {
            throw new IllegalArgumentException("a fleet needs at least one device");
        }
        if (failingFraction < 0 || failingFraction > 1) {
            throw new IllegalArgumentException("the failing fraction must be between 0 and 1");
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        int failing = (int) Math.round(count * failingFraction);
        boolean[] fails = new boolean[count];
        for (int i = 0; i < failing; i++) {
            fails[order.get(i)] = true;
        }
        ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM);
        List<SimulatedDevice> started = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<SimulatedDevice>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                DeviceId id = DeviceId.of(prefix + i);
                SimulatedDevice.Behaviour behaviour = fails[i] ? SimulatedDevice.Behaviour.FAILS_SELF_CHECK
                        : SimulatedDevice.Behaviour.HEALTHY;
                futures.add(pool.submit(() -> {
                    SimulatedDevice device = SimulatedDevice.start(config, id, provisioner.provision(id), factoryImage,
                            behaviour);
                    started.add(device);
                    return device;
                }));
            }
            List<SimulatedDevice> devices = new ArrayList<>();
            for (Future<SimulatedDevice> future : futures) {
                devices.add(future.get());
            }
            return new SimulatedFleet(devices);
        } catch (Exception e) {
            started.forEach(SimulatedDevice::close);
            throw e;
        } finally {
            pool.shutdown();
        }
    }

    public List<SimulatedDevice> devices() {
        return devices;
    }

    @Override
    public void close() {
        devices.forEach(SimulatedDevice::close);
    }
}
