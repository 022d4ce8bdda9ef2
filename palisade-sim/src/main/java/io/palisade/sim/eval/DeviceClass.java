package io.palisade.sim.eval;

import java.util.Random;

/**
 * The kinds of device in a simulated fleet, each its own profile (and so its own cohort for the learned
 * model): how often it publishes, how that follows the time of day, what its payloads look like, how
 * many topics it uses and subscribes to, how often it is sent commands and how often its link drops.
 */
enum DeviceClass {
    SENSOR("sensor", 30, 0.2, 2, 1, 3600, 12 * 3600) {
        @Override
        Payloads payloads(Random random) {
            return Payloads.json(random, 70, 110);
        }
    },
    METER("meter", 60, 0.6, 1, 2, 900, 24 * 3600) {
        @Override
        Payloads payloads(Random random) {
            return Payloads.json(random, 300, 450);
        }
    },
    CAMERA("camera", 8, 0.8, 2, 1, 1800, 24 * 3600) {
        @Override
        Payloads payloads(Random random) {
            return Payloads.random(random, 1500, 6000);
        }
    },
    PLC("plc", 1, 0.0, 3, 3, 60, 48 * 3600) {
        @Override
        Payloads payloads(Random random) {
            return Payloads.registers(random, 24, 48);
        }
    },
    TRACKER("tracker", 15, 0.5, 1, 1, 7200, 3600) {
        @Override
        Payloads payloads(Random random) {
            return Payloads.json(random, 60, 90);
        }
    };

    final String profile;
    /** Mean seconds between publishes at the daily average. */
    final double meanIntervalSeconds;
    /** How strongly the rate follows the day (0: flat; 0.8: five times busier at midday than at night). */
    final double dailyAmplitude;
    final int topics;
    final int subscriptions;
    /** Mean seconds between commands delivered to the device. */
    final double commandIntervalSeconds;
    /** Mean seconds between link drops (the device reconnects a few seconds later). */
    final double reconnectIntervalSeconds;

    DeviceClass(String profile, double meanIntervalSeconds, double dailyAmplitude, int topics, int subscriptions,
                double commandIntervalSeconds, double reconnectIntervalSeconds) {
        this.profile = profile;
        this.meanIntervalSeconds = meanIntervalSeconds;
        this.dailyAmplitude = dailyAmplitude;
        this.topics = topics;
        this.subscriptions = subscriptions;
        this.commandIntervalSeconds = commandIntervalSeconds;
        this.reconnectIntervalSeconds = reconnectIntervalSeconds;
    }

    abstract Payloads payloads(Random random);

    /** Rate multiplier at an hour of the day: busiest at 14:00, quietest at 02:00. */
    double dailyFactor(double hourOfDay) {
        return 1 + dailyAmplitude * Math.sin(2 * Math.PI * (hourOfDay - 8) / 24);
    }
}
