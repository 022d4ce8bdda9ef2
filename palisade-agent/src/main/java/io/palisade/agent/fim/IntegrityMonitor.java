package io.palisade.agent.fim;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Watches a tree against its baseline in real time (file-system notifications) and by periodic full
 * scans (which also catch what notifications miss: changes while the monitor was down, overflowing
 * event queues). Each change is reported once until the file changes again, and what the response to a
 * change did (a move to quarantine, a restored mode) is not reported as another change.
 */
public final class IntegrityMonitor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(IntegrityMonitor.class.getName());
    private static final long SETTLE_MILLIS = 200;

    private final Path root;
    private final Baseline baseline;
    private final Consumer<FileChange> listener;
    private final Map<String, Optional<FileAttributes>> reported = new ConcurrentHashMap<>();
    private final WatchService watcher;
    private final Thread watching;
    private final Thread scanning;

    public IntegrityMonitor(Path root, Baseline baseline, Duration fullScanEvery, Consumer<FileChange> listener)
            throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.baseline = baseline;
        this.listener = listener;
        this.watcher = FileSystems.getDefault().newWatchService();
        registerTree(this.root);
        this.watching = new Thread(this::watch, "palisade-fim-watch");
        this.scanning = new Thread(() -> scanEvery(fullScanEvery), "palisade-fim-scan");
        watching.setDaemon(true);
        scanning.setDaemon(true);
        fullScan();
        watching.start();
        scanning.start();
    }

    /** Compares everything now; reports changes not reported yet. */
    public synchronized List<FileChange> fullScan() throws IOException {
        List<FileChange> changes = baseline.compare(FileScanner.scan(root));
        Set<String> changedPaths = new HashSet<>();
        for (FileChange change : changes) {
            changedPaths.add(change.path());
            report(change);
        }
        reported.keySet().removeIf(path -> !changedPaths.contains(path)); // restored files may be reported again later
        return changes;
    }

    private synchronized void check(Path file) {
        String path = root.relativize(file).toString().replace('\\', '/');
        try {
            baseline.compare(path, Optional.ofNullable(baseline.files().get(path)), FileScanner.read(root, file))
                    .ifPresentOrElse(this::report, () -> reported.remove(path));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot read " + file + ": " + e.getMessage());
        }
    }

    private void report(FileChange change) {
        Optional<FileAttributes> now = change.after();
        Optional<FileAttributes> last = reported.put(change.path(), now);
        if (last == null || !last.equals(now)) {
            listener.accept(change);
            takeResponseAsDone(change.path());
        }
    }

    /**
     * What the listener's response did to the file (moved it to quarantine, deleted it, put its mode back) is
     * the monitor's own doing: the file's state after it counts as reported, so the next look does not report
     * the response as a new change ("removed" after a quarantine).
     */
    private void takeResponseAsDone(String path) {
        try {
            Optional<FileAttributes> after = FileScanner.read(root, root.resolve(path));
            if (baseline.compare(path, Optional.ofNullable(baseline.files().get(path)), after).isEmpty()) {
                reported.remove(path);
            } else {
                reported.put(path, after);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot read " + path + " after the response: " + e.getMessage());
        }
    }

    private void watch() {
        try {
            while (true) {
                WatchKey first = watcher.take();
                // One write is often several notifications (truncate, then data, then attributes): wait for the
                // file to settle and look once, so a single change is a single report.
                Thread.sleep(SETTLE_MILLIS);
                Set<Path> touched = new java.util.LinkedHashSet<>();
                boolean rescan = false;
                for (WatchKey key = first; key != null; key = watcher.poll()) {
                    Path dir = (Path) key.watchable();
                    for (WatchEvent<?> event : key.pollEvents()) {
                        if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                            rescan = true;
                            continue;
                        }
                        Path file = dir.resolve((Path) event.context());
                        if (Files.isDirectory(file)) {
                            registerTree(file);
                            rescan = true;
                        } else {
                            touched.add(file);
                        }
                    }
                    key.reset();
                }
                if (rescan) {
                    fullScan();
                } else {
                    touched.forEach(this::check);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "file watching of " + root + " stopped: " + e.getMessage()
                    + "; periodic scans continue");
        }
    }

    private void scanEvery(Duration period) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(period.toMillis());
                fullScan();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "full scan of " + root + " failed: " + e.getMessage());
        }
    }

    private void registerTree(Path start) throws IOException {
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                        StandardWatchEventKinds.ENTRY_MODIFY);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public void close() throws IOException {
        watching.interrupt();
        scanning.interrupt();
        watcher.close();
    }
}
