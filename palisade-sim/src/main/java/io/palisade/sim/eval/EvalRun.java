package io.palisade.sim.eval;

import io.palisade.core.device.DeviceId;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.policy.PolicyBook;
import io.palisade.detect.DetectionConfig;
import io.palisade.detect.DeviceScope;
import io.palisade.detect.Detector;
import io.palisade.detect.Responder;
import io.palisade.gateway.GatewayLimits;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One seeded run: a fleet's normal day (with a reconnect storm and a firmware roll-out in it), the
 * staged attacks, and the real detector watching it all in virtual time. Produces a {@link RunResult}.
 */
final class EvalRun {

    static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long HOUR = 3600 * SECOND;

    /** A scheduled action; ties run in the order they were scheduled. */
    private record Task(long at, long order, Runnable action) {
    }

    private final EvalConfig config;
    private final Random random;
    private final VirtualClock clock = new VirtualClock(START);
    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.at != b.at
            ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private long order;
    private final List<SimDevice> fleet = new ArrayList<>();
    private final Map<DeviceId, SimDevice> byId = new HashMap<>();
    private final Detector detector;
    private final GatewayModel gateway;
    private final RunResult result;
    private final long end;
    private final long learningEnd;
    private final Payloads encrypted;
    /** When the network outage (and the reconnect storm after it) happens. */
    private final long outage;

    EvalRun(EvalConfig config, long seed) {
        this.config = config;
        this.random = new Random(seed);
        this.end = config.hours() * HOUR;
        this.learningEnd = config.learning().toNanos();
        this.outage = learningEnd + (end - learningEnd) * 3 / 10;
        this.result = new RunResult(learningEnd, end);
        this.encrypted = Payloads.random(random, 40, 90);
        DetectionConfig detection = DetectionConfig.defaults().withLearningPeriod(config.learning())
                .withSampleInterval(config.sampleInterval());
        this.detector = new Detector(detection, responder(), this::anomaly, clock, clock::nanos,
                id -> byId.containsKey(id) ? new DeviceScope(byId.get(id).kind.profile, "plant") : DeviceScope.DEFAULT,
                Runnable::run, seed);
        this.gateway = new GatewayModel(new PolicyBook(), GatewayLimits.defaults(), this::gatewayEvent, detector, clock);
        buildFleet();
    }

    private Responder responder() {
        return new Responder() {
            @Override
            public void quarantine(DeviceId device, String reason) {
                SimDevice quarantined = byId.get(device);
                quarantined.registered = quarantined.registered.withQuarantined(true, clock.instant());
                result.quarantined(device.value(), clock.nanos());
            }

            @Override
            public void throttle(DeviceId device, String reason) {
            }

            @Override
            public void revoke(DeviceId device, String reason) {
                quarantine(device, reason);
            }
        };
    }

    private void gatewayEvent(SecurityEvent event) {
        detector.onEvent(event);
    }

    private void anomaly(SecurityEvent event) {
        if (event.type() == EventType.ANOMALY_DETECTED) {
            String subject = event.device().map(DeviceId::value).orElse(event.source());
            result.alert(subject, event.details().getOrDefault("rule", "?"),
                    event.details().getOrDefault("response", "alert"), clock.nanos());
        }
    }

    // ---- the fleet -------------------------------------------------------------------------------------

    private void buildFleet() {
        double[] share = {0.35, 0.25, 0.10, 0.15, 0.15};
        DeviceClass[] classes = DeviceClass.values();
        for (int c = 0; c < classes.length; c++) {
            int count = c == classes.length - 1 ? config.devices() - fleet.size()
                    : (int) Math.round(config.devices() * share[c]);
            Payloads payloads = classes[c].payloads(random);
            for (int i = 0; i < count; i++) {
                DeviceId id = DeviceId.of(classes[c].profile + "-" + i);
                SimDevice device = new SimDevice(id, classes[c], "10." + (c + 1) + "." + (i / 200) + "." + (i % 200 + 10),
                        payloads, START);
                fleet.add(device);
                byId.put(id, device);
            }
        }
        for (SimDevice device : fleet) {
            at((long) (random.nextDouble() * 60 * SECOND), () -> connect(device, device.address));
            scheduleCommand(device);
            scheduleLinkDrop(device);
        }
    }

    private void connect(SimDevice device, String address) {
        gateway.connect(device, address);
        for (String filter : device.filters) {
            gateway.subscribe(device, filter);
        }
        int connection = device.connection;
        at(clock.nanos() + nextInterval(device), () -> publishLoop(device, connection));
    }

    private void publishLoop(SimDevice device, int connection) {
        if (!device.connected || device.connection != connection) {
            return;
        }
        String topic = device.topics.size() > 1 && random.nextInt(10) == 0
                ? device.topics.get(1 + random.nextInt(device.topics.size() - 1)) : device.topics.get(0);
        long pause = gateway.publish(device, topic, device.payloads.next(random));
        at(clock.nanos() + Math.max(pause, nextInterval(device)), () -> publishLoop(device, connection));
    }

    /** Periodic with jitter, following the class's daily cycle. */
    private long nextInterval(SimDevice device) {
        double hour = (clock.nanos() % (24 * HOUR)) / (double) HOUR;
        double seconds = device.kind.meanIntervalSeconds / device.kind.dailyFactor(hour) * (0.7 + 0.6 * random.nextDouble());
        return (long) (seconds * SECOND);
    }

    private void scheduleCommand(SimDevice device) {
        long next = clock.nanos() + exponential(device.kind.commandIntervalSeconds);
        at(next, () -> {
            gateway.deliver(device, "devices/" + device.id.value() + "/cmd/set", 64);
            scheduleCommand(device);
        });
    }

    private void scheduleLinkDrop(SimDevice device) {
        long next = clock.nanos() + exponential(device.kind.reconnectIntervalSeconds);
        at(next, () -> {
            if (device.connected) {
                gateway.disconnect(device);
                String address = device.kind == DeviceClass.TRACKER ? moveWithinNetwork(device.address) : device.address;
                at(clock.nanos() + (2 + random.nextInt(18)) * SECOND, () -> connect(device, address));
            }
            scheduleLinkDrop(device);
        });
    }

    /** Cellular devices get another address from the same carrier pool (/24) when they reconnect. */
    private String moveWithinNetwork(String address) {
        return address.substring(0, address.lastIndexOf('.') + 1) + (10 + random.nextInt(200));
    }

    private long exponential(double meanSeconds) {
        return (long) (-Math.log(1 - random.nextDouble()) * meanSeconds * SECOND);
    }

    // ---- legitimate bursts -------------------------------------------------------------------------------

    /** A network outage of five minutes: every device drops, then all reconnect within a minute and flush what they buffered. */
    private void reconnectStorm(long at) {
        at(at, () -> fleet.forEach(gateway::disconnect));
        long back = at + 300 * SECOND;
        for (SimDevice device : fleet) {
            at(back + (long) (random.nextDouble() * 60 * SECOND), () -> {
                connect(device, device.address);
                int buffered = (int) Math.min(50, 300 / device.kind.meanIntervalSeconds);
                for (int i = 0; i < buffered; i++) { // replayed at 20 messages/s
                    at(clock.nanos() + i * SECOND / 20, () -> gateway.publish(device, device.topics.get(0),
                            device.payloads.next(random)));
                }
            });
        }
    }

    /** A firmware roll-out to one class over 20 minutes: offer, status reports, reboot, "installed". */
    private void rollout(long at, DeviceClass target) {
        for (SimDevice device : fleet) {
            if (device.kind != target) {
                continue;
            }
            long offered = at + (long) (random.nextDouble() * 1200 * SECOND);
            String status = "quarantine/" + device.id.value() + "/firmware/status";
            at(offered, () -> gateway.deliver(device, "quarantine/" + device.id.value() + "/firmware/update", 900));
            for (int i = 0; i < 3; i++) {
                at(offered + (5 + 20L * i) * SECOND, () -> gateway.publish(device, status, json("downloading")));
            }
            at(offered + 70 * SECOND, () -> gateway.disconnect(device));
            at(offered + 100 * SECOND, () -> {
                connect(device, device.address);
                gateway.publish(device, status, json("installed"));
            });
        }
    }

    private static ByteBuffer json(String state) {
        return ByteBuffer.wrap(("{\"state\":\"" + state + "\",\"target\":\"firmware/app-2.1.img\"}").getBytes(
                java.nio.charset.StandardCharsets.US_ASCII));
    }

    // ---- attacks -----------------------------------------------------------------------------------------

    private void stageAttacks() {
        List<SimDevice> candidates = new ArrayList<>(fleet);
        Collections.shuffle(candidates, random);
        int next = 0;
        long earliest = learningEnd + HOUR / 2;
        for (Attack attack : config.scenarios()) {
            if (attack == Attack.DDOS_FLOOD) {
                long start = randomStart(attack, earliest);
                for (int i = 0; i < config.instances(); i++) {
                    stage(attack, candidates.get(next++), start);
                }
                continue;
            }
            for (int i = 0; i < config.instances(); i++) {
                long start = randomStart(attack, earliest);
                if (attack.deviceSubject) {
                    stage(attack, candidates.get(next++), start);
                } else {
                    stageBruteForce("203.0.113." + (10 + random.nextInt(200)), start);
                }
            }
        }
    }

    /** A start that lets the attack end before the run does and keeps it clear of the network outage. */
    private long randomStart(Attack attack, long earliest) {
        long duration = attack.durationSeconds * SECOND;
        long latest = end - duration - HOUR / 2;
        for (int attempt = 0; attempt < 100; attempt++) {
            long start = earliest + (long) (random.nextDouble() * Math.max(SECOND, latest - earliest));
            if (start + duration < outage - 60 * SECOND || start > outage + 600 * SECOND) {
                return start;
            }
        }
        throw new IllegalStateException("no room for " + attack.wireName + " outside the outage; use more --hours");
    }

    private void stageBruteForce(String address, long start) {
        long duration = Attack.BRUTE_FORCE.durationSeconds * SECOND;
        result.staged(new AttackInstance(Attack.BRUTE_FORCE, address, start, start + duration));
        for (long t = start; t < start + duration; t += SECOND / 3) {
            at(t, () -> gateway.handshakeFailure(address));
        }
    }

    private void stage(Attack attack, SimDevice device, long start) {
        long duration = attack.durationSeconds * SECOND;
        result.staged(new AttackInstance(attack, device.id.value(), start, start + duration));
        // Malware on a device acts when the device is online: bring its link up first if it was down.
        at(start, () -> {
            if (!device.connected) {
                connect(device, device.address);
            }
        });
        String own = "devices/" + device.id.value() + "/";
        switch (attack) {
            case TOPIC_SCAN -> {
                String[] probes = {"#", "$SYS/#", "devices/+/cmd/#", "devices/#", "+/+/config", "plant/#"};
                for (int i = 0; i < 50; i++) {
                    String filter = i < probes.length ? probes[i] : "devices/" + fleet.get(i % fleet.size()).id.value()
                            + "/#";
                    at(start + i * SECOND / 10, () -> gateway.subscribe(device, filter));
                }
            }
            case C2_BEACON -> {
                at(start, () -> gateway.subscribe(device, own + "sys/#"));
                for (long t = start; t < start + duration; t += (50 + random.nextInt(20)) * SECOND) {
                    at(t, () -> gateway.publish(device, own + "sys/beacon", encrypted.next(random)));
                }
                for (long t = start + 30 * SECOND; t < start + duration; t += 300 * SECOND) {
                    at(t, () -> gateway.deliver(device, own + "sys/task", 120));
                }
            }
            case EXFIL_BURST -> {
                Payloads archive = Payloads.random(random, 7000, 8192);
                for (long t = start; t < start + duration; t += SECOND / 60) {
                    at(t, () -> gateway.publish(device, device.topics.get(0), archive.next(random)));
                }
            }
            case EXFIL_DRIP -> {
                Payloads chunk = Payloads.random(random, 1800, 2200);
                for (long t = start; t < start + duration; t += 30 * SECOND) {
                    at(t, () -> gateway.publish(device, device.topics.get(0), chunk.next(random)));
                }
            }
            case LATERAL_INJECTION -> {
                for (int i = 0; i < 20; i++) {
                    SimDevice victim = fleet.get((fleet.indexOf(device) + 1 + i) % fleet.size());
                    at(start + i * SECOND / 2, () -> gateway.publish(device, "devices/" + victim.id.value()
                            + "/cmd/set", json("open-valve")));
                }
            }
            case DDOS_FLOOD -> {
                Payloads junk = Payloads.random(random, 512, 513);
                at(start, () -> floodLoop(device, junk, start + duration));
            }
            case STOLEN_IDENTITY -> {
                String foreign = "198.51.100." + (10 + random.nextInt(200));
                // The thief and the real device keep taking the session from each other.
                for (long t = start; t < start + duration; t += 20 * SECOND) {
                    at(t, () -> {
                        gateway.disconnect(device);
                        connect(device, foreign);
                    });
                    at(t + 10 * SECOND, () -> {
                        gateway.disconnect(device);
                        connect(device, device.address);
                    });
                }
            }
            case FILE_TAMPER -> at(start, () -> gateway.fileModified(device, "/opt/app/bin/agent"));
            case BRUTE_FORCE -> throw new IllegalArgumentException("brute force comes from an address");
        }
    }

    /** As fast as the gateway reads: the device's next packet waits only for the gateway's throttling. */
    private void floodLoop(SimDevice device, Payloads junk, long until) {
        if (clock.nanos() >= until) {
            return;
        }
        long pause = gateway.publish(device, device.topics.get(0), junk.next(random));
        at(clock.nanos() + Math.max(pause, SECOND / 400), () -> floodLoop(device, junk, until));
    }

    // ---- the loop ----------------------------------------------------------------------------------------

    private void at(long nanos, Runnable action) {
        if (nanos <= end) {
            tasks.add(new Task(nanos, order++, action));
        }
    }

    RunResult run() {
        stageAttacks();
        reconnectStorm(outage);
        DeviceClass[] classes = DeviceClass.values();
        rollout(learningEnd + (end - learningEnd) * 6 / 10, classes[random.nextInt(classes.length)]);
        at(learningEnd, detector::resetPeakScores);
        long processed = 0;
        while (!tasks.isEmpty()) {
            Task task = tasks.poll();
            clock.advanceTo(task.at);
            task.action.run();
            processed++;
        }
        for (SimDevice device : fleet) {
            detector.peakScores(device.id).ifPresent(scores -> result.peak(device.id.value(), scores.rules(),
                    scores.model()));
        }
        result.finish(fleet.size(), processed);
        detector.close();
        return result;
    }

    Duration simulated() {
        return Duration.ofNanos(end);
    }
}
