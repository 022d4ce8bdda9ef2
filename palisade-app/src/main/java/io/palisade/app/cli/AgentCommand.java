package io.palisade.app.cli;

import io.palisade.agent.DeviceAgent;
import io.palisade.agent.firewall.FirewallPolicy;
import io.palisade.agent.firewall.ServiceRule;
import io.palisade.agent.tamper.EvdevSwitches;
import io.palisade.agent.tamper.GpioLines;
import io.palisade.agent.tamper.TamperSource;
import io.palisade.agent.tamper.UeventMonitor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code palisade agent run}: the device/gateway agent as a long-running program. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "The agent a Linux device or gateway runs next to its application.")
public final class AgentCommand extends CommandGroup {

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run the agent until stopped: the device's management connection (signed wipe, lock, unlock"
                    + " and reflash commands), firmware updates (--firmware), file integrity (--fim-baseline), tamper"
                    + " sensors with signed reports, the embedded firewall (--firewall), TPM attestation (a device"
                    + " enrolled with --tpm) and the encrypted data store. --data is the directory `palisade device"
                    + " enroll --out` wrote. Core dumps are switched off for the process. See docs/agent.md for a"
                    + " systemd unit.")
    static final class Run implements Runnable {

        @Option(names = "--data", required = true, paramLabel = "DIR",
                description = "The device's enrollment directory (key.pem, cert.pem, ca.pem, command-key.pem); the agent"
                        + " keeps its store and tamper counter there too.")
        Path data;

        @Option(names = "--server", required = true, paramLabel = "URL",
                description = "The Palisade server (https://HOST:8443); the agent connects to HOST's MQTT port.")
        URI server;

        @Option(names = "--mqtt-port", defaultValue = "8883", paramLabel = "PORT",
                description = "The gateway's device port (default: ${DEFAULT-VALUE}).")
        int mqttPort;

        @Option(names = "--no-uevents", description = "Do not watch kernel uevents for USB devices and disks attached.")
        boolean noUevents;

        @Option(names = "--tamper-switch", paramLabel = "DEVICE[:CODE,...]",
                description = "An input device whose switch events are tamper (a case or lid switch), e.g."
                        + " /dev/input/event3:0 for SW_LID only; repeatable.")
        List<String> switches = new ArrayList<>();

        @Option(names = "--tamper-gpio", paramLabel = "CHIP:LINE[,LINE...][:active-low]",
                description = "GPIO lines wired to tamper switches, watched with gpiomon (Debian package gpiod), e.g."
                        + " gpiochip0:17; a rising edge is tamper unless :active-low; repeatable.")
        List<String> gpio = new ArrayList<>();

        @Option(names = "--tamper-gpio-simulated", paramLabel = "CHIP:FIFO",
                description = "A simulated GPIO chip for machines without one: lines in gpiomon's format"
                        + " ('EDGE OFFSET SEC NSEC') written to FIFO; repeatable.")
        List<String> simulatedGpio = new ArrayList<>();

        @Option(names = "--on-tamper", defaultValue = "none", paramLabel = "RESPONSE",
                description = "What the device does by itself when a sensor fires: none (report only), lock (stop the"
                        + " application at once) or zeroise (erase its store and key; it must be enrolled again)."
                        + " Default: ${DEFAULT-VALUE}.")
        String onTamper;

        @Option(names = "--app-stop", defaultValue = "", paramLabel = "SHELL",
                description = "Command that stops the application when the device is locked (run with /bin/sh -c).")
        String appStop;

        @Option(names = "--app-start", defaultValue = "", paramLabel = "SHELL",
                description = "Command that starts the application again when it is unlocked.")
        String appStart;

        @Option(names = "--firewall", description = "Apply the embedded firewall (nftables table inet palisade): the"
                + " gateway's MQTT and HTTPS ports out, the --allow-in/--allow-out services, everything else dropped,"
                + " counted and reported every 10 s.")
        boolean firewall;

        @Option(names = "--allow-in", paramLabel = "PROTO/PORT[@ADDRESS[/PREFIX]]",
                description = "An inbound service the firewall lets through, e.g. tcp/22@10.0.0.0/8; repeatable.")
        List<String> allowIn = new ArrayList<>();

        @Option(names = "--allow-out", paramLabel = "PROTO/PORT[@ADDRESS[/PREFIX]]",
                description = "An outbound service besides the gateway, e.g. udp/123@192.168.1.1; repeatable.")
        List<String> allowOut = new ArrayList<>();

        @Option(names = "--firewall-log-group", defaultValue = "7301", paramLabel = "N",
                description = "The NFLOG group the firewall samples blocked packets to (default: ${DEFAULT-VALUE}).")
        int logGroup;

        @Option(names = "--firmware", paramLabel = "DIR",
                description = "Manage the application bundle as firmware in DIR (two slots, boot state, security"
                        + " counter): verified before it runs, updated by roll-outs with a trial boot, reflashed on"
                        + " command. With a TPM (key.tpm) the counter is held by the TPM and each start measured.")
        Path firmwareDir;

        @Option(names = "--firmware-key", paramLabel = "FILE",
                description = "A pinned firmware signing key (PEM public key); repeatable; needed with --firmware.")
        List<Path> firmwareKeys = new ArrayList<>();

        @Option(names = "--factory-image", paramLabel = "FILE",
                description = "The signed image to start from when --firmware DIR is empty.")
        Path factoryImage;

        @Option(names = "--tuf-root", paramLabel = "FILE",
                description = "The update repository's root metadata the device trusts (palisade-data/tuf/metadata/"
                        + "1.root.json on the server); needed with --firmware.")
        Path tufRoot;

        @Option(names = "--health-check", defaultValue = "", paramLabel = "SHELL",
                description = "Run after a trial boot of new firmware; exit 0 confirms it, anything else reverts.")
        String healthCheck;

        @Option(names = "--fim-baseline", paramLabel = "FILE",
                description = "Watch the files of this signed baseline (palisade fim baseline ROOT --key K --out FILE)"
                        + " and report every change as file.modified.")
        Path fimBaseline;

        @Option(names = "--fim-key", paramLabel = "FILE", description = "The baseline signer's public key (PEM).")
        Path fimKey;

        @Option(names = "--fim-interval", defaultValue = "1h", converter = DurationConverter.class,
                paramLabel = "DURATION", description = "Full rescan besides inotify (default: ${DEFAULT-VALUE}).")
        java.time.Duration fimInterval;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            if (server.getHost() == null) {
                throw new CliFailure("--server " + server + " names no host (https://HOST:8443)");
            }
            DeviceAgent.Options options;
            try {
                options = new DeviceAgent.Options(data, server.getHost(), mqttPort, sources(),
                        DeviceAgent.LocalTamperResponse.fromWireName(onTamper), appStop, appStart, firewallPolicy(),
                        firmware(), integrity(), Clock.systemUTC());
            } catch (IllegalArgumentException e) {
                throw new CliFailure(e.getMessage());
            }
            DeviceAgent agent;
            try {
                agent = DeviceAgent.start(options);
            } catch (IOException e) {
                throw new CliFailure(e.getMessage());
            }
            var out = spec.commandLine().getOut();
            out.println("palisade agent: device " + agent.device() + ", gateway " + server.getHost() + ":" + mqttPort
                    + (agent.locked() ? ", LOCKED" : "") + "; " + agent.hardening().describe());
            for (TamperSource source : options.tamperSources()) {
                out.println("  tamper: " + source.describe());
            }
            agent.firewallDescription().ifPresent(description -> out.println("  " + description));
            agent.firmwareDescription().ifPresent(description -> out.println("  " + description));
            agent.integrityDescription().ifPresent(description -> out.println("  " + description));
            out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "palisade-agent-shutdown"));
            try {
                agent.awaitEnd();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (agent.wiped()) {
                out.println("palisade agent: the device was wiped; enroll it again to bring it back");
                out.flush();
            }
        }

        private Optional<DeviceAgent.FileIntegrity> integrity() {
            if (fimBaseline == null) {
                return Optional.empty();
            }
            if (fimKey == null) {
                throw new CliFailure("--fim-baseline needs --fim-key, the baseline signer's public key");
            }
            try {
                return Optional.of(new DeviceAgent.FileIntegrity(fimBaseline, io.palisade.pki.Pem.readPublicKey(fimKey),
                        fimInterval));
            } catch (java.io.IOException e) {
                throw new CliFailure(e.getMessage());
            }
        }

        private Optional<io.palisade.agent.DeviceFirmware.Options> firmware() {
            if (firmwareDir == null) {
                return Optional.empty();
            }
            if (firmwareKeys.isEmpty() || tufRoot == null) {
                throw new CliFailure("--firmware needs --firmware-key and --tuf-root");
            }
            List<java.security.PublicKey> keys = new ArrayList<>();
            try {
                for (Path key : firmwareKeys) {
                    keys.add(io.palisade.firmware.image.FirmwareKeys.readPublic(key));
                }
            } catch (java.io.IOException e) {
                throw new CliFailure(e.getMessage());
            }
            return Optional.of(new io.palisade.agent.DeviceFirmware.Options(firmwareDir, keys,
                    Optional.ofNullable(factoryImage), tufRoot, server, healthCheck));
        }

        private Optional<FirewallPolicy> firewallPolicy() {
            if (!firewall) {
                if (!allowIn.isEmpty() || !allowOut.isEmpty()) {
                    throw new CliFailure("--allow-in and --allow-out configure the firewall: add --firewall");
                }
                return Optional.empty();
            }
            List<InetAddress> gateway;
            try {
                gateway = List.of(InetAddress.getAllByName(server.getHost()));
            } catch (UnknownHostException e) {
                throw new CliFailure("cannot resolve the server " + server.getHost() + " for the firewall rules");
            }
            int httpsPort = server.getPort() > 0 ? server.getPort() : 443;
            return Optional.of(new FirewallPolicy(gateway, List.of(mqttPort, httpsPort),
                    allowIn.stream().map(ServiceRule::parse).toList(), allowOut.stream().map(ServiceRule::parse).toList(),
                    logGroup));
        }

        private List<TamperSource> sources() {
            List<TamperSource> sources = new ArrayList<>();
            if (!noUevents) {
                sources.add(new UeventMonitor());
            }
            for (String spec : switches) {
                String[] parts = spec.split(":", 2);
                Set<Integer> codes = new HashSet<>();
                if (parts.length == 2) {
                    for (String code : parts[1].split(",")) {
                        codes.add(number(code, "switch code in --tamper-switch " + spec));
                    }
                }
                sources.add(new EvdevSwitches(Path.of(parts[0]), codes));
            }
            for (String spec : gpio) {
                String[] parts = spec.split(":");
                if (parts.length < 2 || parts.length > 3 || (parts.length == 3 && !parts[2].equals("active-low"))) {
                    throw new CliFailure("--tamper-gpio " + spec + " is not CHIP:LINE[,LINE...][:active-low]");
                }
                List<Integer> lines = new ArrayList<>();
                for (String line : parts[1].split(",")) {
                    lines.add(number(line, "GPIO line in --tamper-gpio " + spec));
                }
                sources.add(GpioLines.watch(parts[0], lines, parts.length == 2));
            }
            for (String spec : simulatedGpio) {
                String[] parts = spec.split(":", 2);
                if (parts.length != 2) {
                    throw new CliFailure("--tamper-gpio-simulated " + spec + " is not CHIP:FIFO");
                }
                sources.add(GpioLines.simulated(parts[0], Path.of(parts[1]), true));
            }
            return sources;
        }

        private static int number(String text, String what) {
            try {
                int value = Integer.decode(text.strip());
                if (value < 0) {
                    throw new NumberFormatException();
                }
                return value;
            } catch (NumberFormatException e) {
                throw new CliFailure("'" + text + "' is not a " + what);
            }
        }
    }
}
