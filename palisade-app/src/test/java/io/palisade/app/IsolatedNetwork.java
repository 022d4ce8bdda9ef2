package io.palisade.app;

import java.util.ArrayList;
import java.util.List;

/**
 * Two network namespaces joined to this one by veth pairs, for the isolation overlay's tests: a legacy segment whose
 * host ({@link #HOST}) has no route beyond its own link (only this namespace, where Palisade runs, can reach it), and a
 * client network ({@link #CLIENT}) whose default route leads here. A connection from the client network to the host
 * cannot complete: the host cannot answer. Needs root ({@code ip netns add}).
 */
final class IsolatedNetwork implements AutoCloseable {

    /** The legacy host's address, inside the segment namespace. */
    static final String HOST = "10.211.0.2";
    /** This namespace's address on the client network: where Palisade is reached from there. */
    static final String GATEWAY = "10.212.0.1";
    static final String CLIENT = "10.212.0.2";

    final String segment;
    final String clients;
    private final List<List<String>> undo = new ArrayList<>();

    private IsolatedNetwork(String suffix) {
        segment = "pal-seg-" + suffix;
        clients = "pal-cli-" + suffix;
    }

    static boolean available() {
        return "root".equals(System.getProperty("user.name"));
    }

    static IsolatedNetwork create() throws Exception {
        String suffix = Long.toString(ProcessHandle.current().pid() % 100000);
        IsolatedNetwork network = new IsolatedNetwork(suffix);
        try {
            network.link(network.segment, "vs" + suffix, "10.211.0.1", HOST, false);
            network.link(network.clients, "vc" + suffix, GATEWAY, CLIENT, true);
        } catch (Exception e) {
            network.close();
            throw e;
        }
        return network;
    }

    /** A namespace with a veth pair: {@code here} on this side, {@code there} inside; a default route if asked. */
    private void link(String namespace, String veth, String here, String there, boolean defaultRoute) throws Exception {
        ip("netns", "add", namespace);
        undo.add(0, List.of("ip", "netns", "delete", namespace));
        ip("link", "add", veth, "type", "veth", "peer", "name", veth + "p");
        undo.add(0, List.of("ip", "link", "delete", veth));
        ip("link", "set", veth + "p", "netns", namespace);
        ip("addr", "add", here + "/24", "dev", veth);
        ip("link", "set", veth, "up");
        ip("-n", namespace, "addr", "add", there + "/24", "dev", veth + "p");
        ip("-n", namespace, "link", "set", veth + "p", "up");
        ip("-n", namespace, "link", "set", "lo", "up");
        if (defaultRoute) {
            ip("-n", namespace, "route", "add", "default", "via", here);
        }
    }

    /** {@code ip netns exec NS} before a command, to run it inside a namespace. */
    static List<String> in(String namespace, List<String> command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(command);
        return all;
    }

    private static void ip(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        Processes.Result result = Processes.run(command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + result.output());
        }
    }

    @Override
    public void close() throws Exception {
        for (List<String> command : undo) {
            Processes.run(command);
        }
    }
}
