package io.palisade.agent.firewall;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.agent.linux.NetlinkSocket;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Applies the policy, then watches what it blocks: a reader thread takes logged packets off netfilter's packet log
 * and a timer closes a report window every {@code window}, with the counters' increase and the samples, when
 * anything was blocked. The rules stay when the agent stops: the device keeps its firewall (remove it with
 * {@code nft delete table inet palisade}).
 */
public final class EmbeddedFirewall implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EmbeddedFirewall.class.getName());
    private static final int BUFFER = 65536;

    private final FirewallPolicy policy;
    private final Duration window;
    private final Clock clock;
    private final Consumer<ObjectNode> reports;
    private final BlockedTraffic traffic = new BlockedTraffic();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "palisade-agent-firewall-report");
        thread.setDaemon(true);
        return thread;
    });
    private NetlinkSocket log;
    private volatile boolean running;
    private Map<String, Long> lastCounts = new HashMap<>();
    private Instant windowStart;

    public EmbeddedFirewall(FirewallPolicy policy, Duration window, Clock clock, Consumer<ObjectNode> reports) {
        this.policy = policy;
        this.window = window;
        this.clock = clock;
        this.reports = reports;
    }

    public void start() throws IOException {
        // Listen before the rules exist, so the first blocked packet is not missed.
        log = NetlinkSocket.netfilter();
        log.send(NflogMessages.bind(policy.logGroup(), 1));
        log.send(NflogMessages.copyPackets(policy.logGroup(), 2));
        expectAcks(2);
        Nft.apply(policy.render());
        lastCounts = Nft.counters(FirewallPolicy.TABLE);
        windowStart = clock.instant();
        running = true;
        Thread reader = new Thread(this::read, "palisade-agent-firewall-log");
        reader.setDaemon(true);
        reader.start();
        timer.scheduleWithFixedDelay(this::report, window.toMillis(), window.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void expectAcks(int count) throws IOException {
        byte[] buffer = new byte[BUFFER];
        int acknowledged = 0;
        while (acknowledged < count) {
            Optional<Integer> length = log.receive(buffer);
            if (length.isEmpty()) {
                throw new IOException("the kernel did not answer the packet log configuration (is nfnetlink_log there?)");
            }
            for (int error : NflogMessages.parse(buffer, length.get()).errors()) {
                if (error != 0) {
                    throw new IOException("the kernel refused the packet log configuration: errno " + error
                            + (error == 16 ? " (log group " + policy.logGroup() + " is taken by another program)" : ""));
                }
                acknowledged++;
            }
        }
    }

    private void read() {
        byte[] buffer = new byte[BUFFER];
        while (running) {
            try {
                Optional<Integer> length = log.receive(buffer);
                if (length.isEmpty()) {
                    continue;
                }
                for (NflogMessages.Logged logged : NflogMessages.parse(buffer, length.get()).packets()) {
                    try {
                        traffic.sample(logged.prefix(), PacketSummary.of(logged.packet()));
                    } catch (IllegalArgumentException e) {
                        LOG.log(System.Logger.Level.DEBUG, "a logged packet that is not IP: " + e.getMessage());
                    }
                }
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "ignored a malformed packet log message: " + e.getMessage());
            } catch (IOException e) {
                if (running) {
                    LOG.log(System.Logger.Level.ERROR, "stopped reading the packet log: " + e.getMessage());
                }
                return;
            }
        }
    }

    private void report() {
        try {
            Map<String, Long> counts = Nft.counters(FirewallPolicy.TABLE);
            Map<String, Long> dropped = new HashMap<>();
            counts.forEach((name, count) -> dropped.put(name, Math.max(0, count - lastCounts.getOrDefault(name, 0L))));
            lastCounts = counts;
            Instant now = clock.instant();
            ObjectNode report = traffic.close(windowStart, now, dropped);
            windowStart = now;
            if (report != null) {
                reports.accept(report);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not report blocked traffic: " + e.getMessage());
        }
    }

    public String describe() {
        return "firewall: table inet " + FirewallPolicy.TABLE + " (gateway " + policy.gateway() + " ports "
                + policy.gatewayPorts() + ", in " + policy.allowIn() + ", out " + policy.allowOut()
                + "), blocked traffic reported every " + window.toSeconds() + " s";
    }

    @Override
    public void close() {
        running = false;
        timer.shutdownNow();
        if (log != null) {
            log.close();
        }
    }
}
