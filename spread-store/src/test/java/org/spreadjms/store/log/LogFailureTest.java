package org.spreadjms.store.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.spreadjms.jms.store.StoredMessage;

/** A corrupt data file or a full disk gives a clear error, and nothing unwritten is acknowledged. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogFailureTest {
    @TempDir
    Path dir;

    private void fill(int n) throws Exception {
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.always())) {
            for (int i = 1; i <= n; i++) {
                log.append("q", MessageLogTest.key(i), (short) 0, new byte[1000]);
            }
            MessageLogTest.get(log.barrier());
        }
    }

    private Path only(String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> l = s.filter(p -> p.getFileName().toString().endsWith(suffix)
                    || p.getFileName().toString().startsWith(suffix)).toList();
            assertEquals(1, l.size(), "one " + suffix + " file in " + dir + ": " + l);
            return l.get(0);
        }
    }

    private static void garbage(Path file, long offset, int length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            assertTrue(f.length() > offset + length, file + " has " + f.length() + " bytes");
            f.seek(offset);
            byte[] g = new byte[length];
            for (int i = 0; i < length; i++) {
                g[i] = (byte) (0x5A ^ i * 31);
            }
            f.write(g);
        }
    }

    @Test
    void garbageInTheMiddleOfTheWriteAheadLogFailsTheOpenAsCorrupt() throws Exception {
        fill(50);
        Path wal = only(".log");
        garbage(wal, Files.size(wal) / 2, 64);
        StoreException e = assertThrows(StoreException.class, () -> MessageLog.open(dir, FsyncPolicy.always()));
        assertEquals(StoreException.Kind.CORRUPT, e.kind(), e.getMessage());
    }

    @Test
    void garbageInTheManifestFailsTheOpenAsCorrupt() throws Exception {
        fill(5);
        Path manifest = only("MANIFEST-");
        garbage(manifest, 10, 32);
        StoreException e = assertThrows(StoreException.class, () -> MessageLog.open(dir, FsyncPolicy.always()));
        assertEquals(StoreException.Kind.CORRUPT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("corrupt") && e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void garbageInATableFileFailsTheReadAsCorruptAndTheLogStopsWriting() throws Exception {
        fill(200);
        // reopening replays the write-ahead log into a table file
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.always())) {
            assertEquals(200, log.read("q", 0, 1000, Long.MAX_VALUE).size());
        }
        Path table = only(".sst");
        garbage(table, Files.size(table) / 3, 256);
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.always())) {
            StoreException e = assertThrows(StoreException.class, () -> log.read("q", 0, 1000, Long.MAX_VALUE));
            assertEquals(StoreException.Kind.CORRUPT, e.kind(), e.getMessage());
            assertTrue(log.failure().isDone(), "a corrupt read fails the log");
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> MessageLogTest.get(log.append("q", MessageLogTest.key(999), (short) 0, new byte[1])));
            assertEquals(StoreException.Kind.CORRUPT, ((StoreException) refused.getCause()).kind());
        }
    }

    /**
     * A real full disk: a 32 MiB tmpfs (this needs root, as CI and the development machines have), filled to the
     * brim by another file while the log runs.
     */
    @Test
    void aFullDiskFailsTheAppendThatDidNotFitAndEveryOneAfterAndKeepsWhatWasAcknowledged() throws Exception {
        try (Tmpfs tmpfs = Tmpfs.mount(dir.resolve("tmpfs"), 32)) {
            Path mount = tmpfs.path();
            Path data = mount.resolve("log");
            Path filler = mount.resolve("filler");
            List<Long> acknowledged = new ArrayList<>();
            StoreException failure = null;
            try (MessageLog log = MessageLog.open(data, FsyncPolicy.always())) {
                MessageLogTest.get(log.append("q", MessageLogTest.key(0), (short) 0, new byte[1000]));
                tmpfs.fill(filler);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                for (int i = 1; i <= 100_000 && System.nanoTime() < deadline; i++) {
                    try {
                        acknowledged.add(MessageLogTest.get(log.append("q", MessageLogTest.key(i), (short) 0,
                                new byte[1000])).sequence());
                    } catch (ExecutionException e) {
                        failure = (StoreException) e.getCause();
                        break;
                    }
                }
                assertTrue(failure != null, "an append failed once the disk was full (" + acknowledged.size()
                        + " acknowledged)");
                assertEquals(StoreException.Kind.DISK_FULL, failure.kind(), failure.getMessage());
                assertTrue(failure.getMessage().contains("disk is full"), failure.getMessage());
                ExecutionException later = assertThrows(ExecutionException.class, () -> MessageLogTest.get(
                        log.append("q", MessageLogTest.key(-1), (short) 0, new byte[1])));
                assertEquals(StoreException.Kind.DISK_FULL, ((StoreException) later.getCause()).kind());
                assertTrue(log.failure().isDone());
            }
            Files.delete(filler);
            try (MessageLog log = MessageLog.open(data, FsyncPolicy.always())) {
                List<Long> stored = new ArrayList<>();
                long from = 1;
                List<StoredMessage> page;
                while (!(page = log.read("q", from, 1000, Long.MAX_VALUE)).isEmpty()) {
                    page.forEach(m -> stored.add(m.sequence()));
                    from = page.get(page.size() - 1).sequence() + 1;
                }
                assertTrue(stored.containsAll(acknowledged), "every acknowledged append survived: "
                        + acknowledged.size() + " acknowledged, " + stored.size() + " stored");
                System.out.printf("disk full after %d acknowledged appends: %s%n", acknowledged.size(),
                        failure.getMessage());
            }
        }
    }
}
