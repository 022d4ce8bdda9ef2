package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * A network partition on loopback: every packet sent to one TCP port is dropped (nftables, as root) until
 * {@link #close()}, so connections to it stall as over a cut cable rather than being refused at once.
 */
final class PortCut implements AutoCloseable {

    private final String table;

    private PortCut(String table) {
        this.table = table;
    }

    static PortCut drop(int port) throws Exception {
        String table = "palisade_cut_" + port;
        nft("add", "table", "inet", table);
        nft("add", "chain", "inet", table, "out", "{ type filter hook output priority 0 ; }");
        nft("add", "rule", "inet", table, "out", "tcp", "dport", Integer.toString(port), "drop");
        return new PortCut(table);
    }

    @Override
    public void close() throws Exception {
        nft("delete", "table", "inet", table);
    }

    private static void nft(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("nft"));
        command.addAll(List.of(arguments));
        Processes.Result result = Processes.run(command);
        assertThat(result.exitCode()).as(String.join(" ", command) + " said: " + result.output()).isZero();
    }
}
