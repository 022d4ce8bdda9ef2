package io.palisade.radio.zigbee;

import io.palisade.radio.capture.CapturedFrame;
import io.palisade.radio.capture.ZepDecoder;
import io.palisade.radio.ieee802154.FrameFormatException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The live feed: ZEP datagrams (UDP, default {@value ZepDecoder#DEFAULT_PORT}) from sniffers and coordinators, one
 * frame each. A receiving thread decodes and queues (at most {@value #QUEUE} frames; beyond that frames are dropped and
 * counted, so a flood costs frames, not memory); an ingest thread verifies and forwards them in batches of up to
 * {@value #BATCH}. A datagram that is not ZEP, or whose FCS fails, is a malformed-frame finding against its sender.
 * The feed's name in events is {@code zep:ADDRESS/DEVICE-ID}.
 */
public final class ZigbeeFeed implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ZigbeeFeed.class.getName());
    static final int QUEUE = 10_000;
    static final int BATCH = ZigbeeIngest.BATCH;

    private final DatagramSocket socket;
    private final ZigbeeIngest ingest;
    private final ZigbeeEvents malformed;
    private final Clock clock;
    private final BlockingQueue<CapturedFrame> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread receiver;
    private final Thread worker;
    private volatile boolean running = true;

    private ZigbeeFeed(DatagramSocket socket, ZigbeeIngest ingest, ZigbeeEvents malformed, Clock clock) {
        this.socket = socket;
        this.ingest = ingest;
        this.malformed = malformed;
        this.clock = clock;
        this.receiver = new Thread(this::receive, "zigbee-feed-receive");
        this.worker = new Thread(this::work, "zigbee-feed-ingest");
        receiver.setDaemon(true);
        worker.setDaemon(true);
    }

    public static ZigbeeFeed start(InetSocketAddress listen, ZigbeeIngest ingest,
                                   io.palisade.core.event.EventSink sink, Clock clock) throws SocketException {
        DatagramSocket socket = new DatagramSocket(listen);
        ZigbeeFeed feed = new ZigbeeFeed(socket, ingest, new ZigbeeEvents(sink, clock), clock);
        feed.receiver.start();
        feed.worker.start();
        return feed;
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Frames dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    private void receive() {
        byte[] buffer = new byte[2048];
        while (running) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                if (running) {
                    LOG.log(Level.WARNING, "ZigBee feed: receiving failed; the feed goes on", e);
                }
                continue;
            }
            String sender = packet.getAddress().getHostAddress();
            byte[] datagram = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
            try {
                byte[] frame = ZepDecoder.frame(datagram);
                if (frame == null) {
                    continue;
                }
                int deviceId = (datagram[2] == 1 ? (datagram[4] & 0xff) << 8 | datagram[5] & 0xff
                        : (datagram[5] & 0xff) << 8 | datagram[6] & 0xff);
                if (!queue.offer(new CapturedFrame(clock.instant(), "zep:" + sender + "/" + deviceId, frame))) {
                    dropped.incrementAndGet();
                }
            } catch (FrameFormatException e) {
                malformed.finding("zep:" + sender, new Verdict.Flagged(RadioFinding.MALFORMED, "unknown",
                        e.getMessage()));
            }
        }
    }

    private void work() {
        List<CapturedFrame> batch = new ArrayList<>(BATCH);
        while (running) {
            try {
                CapturedFrame first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                ingest.ingest(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "ZigBee feed: a batch of " + batch.size() + " frames failed; the feed goes on",
                        e);
            } finally {
                batch.clear();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        socket.close();
        worker.interrupt();
        try {
            worker.join(2_000);
            receiver.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
