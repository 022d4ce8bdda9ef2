package io.palisade.radio.llrp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a connection to one LLRP reader (TCP, the reader listens; 5084 by default) and hands on what its
 * RO_ACCESS_REPORTs say. Keep-alives are answered; other messages (reader event notifications, ...) are read and let
 * be. The reader is expected to run a ROSpec configured with its own tools; Palisade only listens. A malformed
 * message is reported ({@code malformed}) and ends the connection; any end is followed by a new attempt, waiting
 * 1 s and doubling to 30 s while attempts fail.
 */
public final class LlrpReaderClient implements AutoCloseable {

    public static final int DEFAULT_PORT = 5084;
    private static final Logger LOG = Logger.getLogger(LlrpReaderClient.class.getName());
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final long MAX_BACKOFF_MS = 30_000;

    private final InetSocketAddress address;
    private final Consumer<List<TagReportData>> reports;
    private final Consumer<String> malformed;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Socket socket;

    private LlrpReaderClient(String name, InetSocketAddress address, Consumer<List<TagReportData>> reports,
                             Consumer<String> malformed) {
        this.address = address;
        this.reports = reports;
        this.malformed = malformed;
        this.thread = new Thread(this::run, "llrp-" + name);
        thread.setDaemon(true);
    }

    public static LlrpReaderClient start(String name, InetSocketAddress address,
                                         Consumer<List<TagReportData>> reports, Consumer<String> malformed) {
        LlrpReaderClient client = new LlrpReaderClient(name, address, reports, malformed);
        client.thread.start();
        return client;
    }

    private void run() {
        long backoff = 1_000;
        while (running) {
            try (Socket connection = new Socket()) {
                socket = connection;
                // resolved at each attempt: a reader's name may move to another address
                connection.connect(new InetSocketAddress(address.getHostString(), address.getPort()),
                        CONNECT_TIMEOUT_MS);
                backoff = 1_000;
                serve(connection);
            } catch (IOException e) {
                if (running) {
                    LOG.log(Level.FINE, "LLRP reader " + address + ": " + e.getMessage());
                }
            } catch (LlrpFormatException e) {
                malformed.accept(e.getMessage());
            }
            if (!running) {
                return;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
    }

    private void serve(Socket connection) throws IOException, LlrpFormatException {
        LlrpReader in = new LlrpReader(connection.getInputStream());
        OutputStream out = connection.getOutputStream();
        LlrpMessage message;
        while (running && (message = in.next()) != null) {
            if (message.type() == LlrpMessage.KEEPALIVE) {
                out.write(new LlrpMessage(message.version(), LlrpMessage.KEEPALIVE_ACK, message.id(), new byte[0])
                        .encode());
                out.flush();
            } else if (message.type() == LlrpMessage.RO_ACCESS_REPORT) {
                reports.accept(RoAccessReport.parse(message.body()));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        Socket current = socket;
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // closing: nothing left to do with it
            }
        }
        thread.interrupt();
    }
}
