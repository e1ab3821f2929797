package org.spreadjms.store.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.spreadjms.jms.store.MessageKey;
import org.spreadjms.jms.store.StoredMessage;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MessageLogTest {
    @TempDir
    Path dir;

    static byte[] body(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    static MessageKey key(int i) {
        return new MessageKey("#p1#d1", "ID:" + i);
    }

    @Test
    void appendsGetSequencesPerDestinationAndReadBackInOrder() throws Exception {
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.defaultPolicy())) {
            List<CompletableFuture<Appended>> fs = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                fs.add(log.append(i % 2 == 0 ? "q~even" : "q~odd", key(i), (short) 7, body("m" + i)));
            }
            for (int i = 0; i < 10; i++) {
                assertEquals(new Appended(i / 2 + 1, false), get(fs.get(i)), "append " + (i + 1));
            }
            List<StoredMessage> even = log.read("q~even", 1, 100, Long.MAX_VALUE);
            assertEquals(List.of("m2", "m4", "m6", "m8", "m10"), texts(even));
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), even.stream().map(StoredMessage::sequence).toList());
            assertEquals(key(2), even.get(0).key());
            assertEquals((short) 7, even.get(0).messType());
            assertEquals(5, log.lastSequence("q~odd"));
            assertEquals(java.util.Set.of("q~even", "q~odd"), log.destinations());
            assertEquals(10, log.appliedIndex());
        }
    }

    @Test
    void readsPagesFromAPositionBoundedByCountAndBytes() throws Exception {
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.never())) {
            for (int i = 1; i <= 25; i++) {
                log.append("t", key(i), (short) 0, new byte[100]);
            }
            get(log.barrier());
            List<Long> seen = new ArrayList<>();
            long from = 1;
            List<StoredMessage> page;
            while (!(page = log.read("t", from, 10, Long.MAX_VALUE)).isEmpty()) {
                assertTrue(page.size() <= 10);
                page.forEach(m -> seen.add(m.sequence()));
                from = page.get(page.size() - 1).sequence() + 1;
            }
            assertEquals(25, seen.size());
            assertEquals(1L, seen.get(0));
            assertEquals(25L, seen.get(24));
            assertEquals(3, log.read("t", 5, 10, 250).size(), "stops once 250 bytes are read");
            assertEquals(1, log.read("t", 5, 10, 1).size(), "at least one message");
            assertEquals(List.of(), log.read("other", 1, 10, Long.MAX_VALUE), "another destination is empty");
            assertEquals(List.of(), log.read("t", 26, 10, Long.MAX_VALUE));
        }
    }

    @Test
    void deleteByKeyRemovesTheMessageAndSequencesNeverGoBack() throws Exception {
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.always())) {
            get(log.append("q", key(1), (short) 0, body("a")));
            get(log.append("q", key(2), (short) 0, body("b")));
            assertTrue(get(log.delete("q", key(2))));
            assertFalse(get(log.delete("q", key(2))), "a second delete finds nothing");
            assertFalse(get(log.delete("other", key(1))), "the key is per destination");
            assertEquals(List.of("a"), texts(log.read("q", 0, 10, Long.MAX_VALUE)));
            assertEquals(3, get(log.append("q", key(3), (short) 0, body("c"))).sequence());
        }
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.always())) {
            assertEquals(3, log.lastSequence("q"));
            assertEquals(4, get(log.append("q", key(4), (short) 0, body("d"))).sequence());
            assertEquals(List.of("a", "c", "d"), texts(log.read("q", 0, 10, Long.MAX_VALUE)));
        }
    }

    @Test
    void aDeleteQueuedBehindItsAppendInTheSameGroupFindsIt() throws Exception {
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.batch(Duration.ofMillis(50)))) {
            CompletableFuture<Appended> a = log.append("q", key(1), (short) 0, body("a"));
            CompletableFuture<Boolean> d = log.delete("q", key(1));
            assertEquals(1, get(a).sequence());
            assertTrue(get(d));
            assertEquals(List.of(), log.read("q", 0, 10, Long.MAX_VALUE));
        }
    }

    @Test
    void reopeningKeepsEveryAcknowledgedMessage() throws Exception {
        int n = 2000;
        List<CompletableFuture<Appended>> fs = new ArrayList<>();
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.defaultPolicy())) {
            for (int i = 1; i <= n; i++) {
                fs.add(log.append("q", key(i), (short) 0, body("m" + i)));
            }
            for (CompletableFuture<Appended> f : fs) {
                get(f);
            }
        }
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.defaultPolicy())) {
            assertEquals(n, log.appliedIndex());
            List<StoredMessage> all = new ArrayList<>();
            long from = 1;
            List<StoredMessage> page;
            while (!(page = log.read("q", from, 300, Long.MAX_VALUE)).isEmpty()) {
                all.addAll(page);
                from = page.get(page.size() - 1).sequence() + 1;
            }
            assertEquals(n, all.size());
            for (int i = 0; i < n; i++) {
                assertEquals("m" + (i + 1), new String(all.get(i).payload(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void aDuplicateKeyIsStoredOnce() throws Exception {
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.never())) {
            assertEquals(new Appended(1, false), get(log.append("q", key(1), (short) 0, body("a"))));
            assertEquals(new Appended(2, false), get(log.append("q", key(2), (short) 0, body("b"))));
            assertEquals(new Appended(1, true), get(log.append("q", key(1), (short) 0, body("again"))));
            assertEquals(new Appended(1, false), get(log.append("other", key(1), (short) 0, body("x"))));
            assertEquals(List.of("a", "b"), texts(log.read("q", 0, 10, Long.MAX_VALUE)));
        }
    }

    @Test
    void batchPolicyGroupsCompanyButNeverHoldsAnAppendForTheWholeBound() throws Exception {
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.batch(Duration.ofMillis(1000)))) {
            long start = System.nanoTime();
            get(log.append("q", key(1), (short) 0, body("a")));
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waited < 500, "a lone append waited " + waited + " ms: there was no company to wait for");
            // a burst: the writer finds company and collects it into a few groups
            long writesBefore = log.groupWrites();
            List<CompletableFuture<Appended>> burst = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                burst.add(log.append("q", key(100 + i), (short) 0, body("burst")));
            }
            for (CompletableFuture<Appended> f : burst) {
                get(f);
            }
            long burstWrites = log.groupWrites() - writesBefore;
            assertTrue(burstWrites <= 10, "50 appends queued at once took " + burstWrites + " writes");
            // right after the burst the writer expects company, but stops waiting once none comes
            start = System.nanoTime();
            get(log.append("q", key(2), (short) 0, body("b")));
            waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waited < 500, "right after a burst an append waited " + waited + " ms: the writer waited"
                    + " out its bound although nothing else came");
            start = System.nanoTime();
            get(log.append("q", key(3), (short) 0, body("c")));
            waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waited < 500, "alone again, an append waited " + waited + " ms");
        }
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.always())) {
            long start = System.nanoTime();
            get(log.append("q", key(2), (short) 0, body("b")));
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waited < 500, "always does not wait for company, took " + waited + " ms");
        }
    }

    @Test
    void batchForcesWritesWithAppendsButNotDeletesAloneWhileAlwaysForcesBoth() throws Exception {
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.batch(Duration.ofMillis(2)))) {
            get(log.append("q", key(1), (short) 0, body("a")));
            assertEquals(1, log.groupWrites());
            assertEquals(1, log.forcedGroupWrites(), "someone waits for an append's STORED: forced");
            assertTrue(get(log.delete("q", key(1))));
            assertEquals(2, log.groupWrites());
            assertEquals(1, log.forcedGroupWrites(), "a delete alone is written, not forced");
            get(log.append("q", key(2), (short) 0, body("b")));
            assertEquals(2, log.forcedGroupWrites());
        }
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.batch(Duration.ofMillis(2)))) {
            assertEquals(List.of("b"), texts(log.read("q", 0, 10, Long.MAX_VALUE)),
                    "the unforced delete survived a close and reopen, the append after it too");
        }
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.always())) {
            assertTrue(get(log.delete("q", key(2))));
            assertEquals(1, log.forcedGroupWrites(), "always forces deletes too");
        }
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.never())) {
            get(log.append("q", key(3), (short) 0, body("c")));
            assertEquals(1, log.groupWrites());
            assertEquals(0, log.forcedGroupWrites(), "never forces any write");
        }
    }

    @Test
    void tableFilesHaveABloomFilterForTheLookupOfEveryAppend() throws Exception {
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.never())) {
            get(log.append("q", key(1), (short) 0, body("a")));
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            Path options = files.filter(f -> f.getFileName().toString().startsWith("OPTIONS-")).max(Path::compareTo)
                    .orElseThrow(() -> new AssertionError("RocksDB wrote no OPTIONS file in " + dir));
            String text = java.nio.file.Files.readString(options);
            assertTrue(text.contains("filter_policy=bloomfilter"), "no Bloom filter in " + options);
        }
    }

    @Test
    void resetDropsADestinationAndPutKeepsGivenSequences() throws Exception {
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.never())) {
            get(log.append("q", key(1), (short) 0, body("old")));
            get(log.append("keep", key(1), (short) 0, body("kept")));
            get(log.reset(Map.of("q", 40L), 99, true));
            assertEquals(List.of(), log.read("q", 0, 10, Long.MAX_VALUE));
            assertFalse(get(log.delete("q", key(1))), "the index went with the messages");
            get(log.put("q", 17, key(5), (short) 0, body("seventeen")));
            assertEquals(100, log.appliedIndex(), "reset to 99, then the delete counted");
            assertEquals(41, get(log.append("q", key(6), (short) 0, body("next"))).sequence());
            assertEquals(List.of(17L, 41L), log.read("q", 0, 10, Long.MAX_VALUE).stream()
                    .map(StoredMessage::sequence).toList());
            assertEquals(List.of("kept"), texts(log.read("keep", 0, 10, Long.MAX_VALUE)));
            get(log.reset(Map.of("q", 50L), 200, false));
            assertEquals(new LogPosition(200, Map.of("q", 50L, "keep", 1L)), get(log.barrier()));
            assertEquals(2, log.read("q", 0, 10, Long.MAX_VALUE).size(), "no drop this time");
        }
    }

    @Test
    void aClosedLogRefusesWithAClearError() throws Exception {
        MessageLog log = MessageLog.open(dir, FsyncPolicy.never());
        CompletableFuture<Appended> before = log.append("q", key(1), (short) 0, body("a"));
        log.close();
        assertEquals(1, get(before).sequence(), "what was queued before close is written");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> get(log.append("q", key(2), (short) 0, body("b"))));
        assertEquals(StoreException.Kind.CLOSED, ((StoreException) e.getCause()).kind());
        StoreException r = assertThrows(StoreException.class, () -> log.read("q", 0, 1, 1));
        assertEquals(StoreException.Kind.CLOSED, r.kind());
    }

    @Test
    void aDirectoryInUseByAnotherLogIsRefused() throws Exception {
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.never())) {
            StoreException e = assertThrows(StoreException.class, () -> MessageLog.open(dir, FsyncPolicy.never()));
            assertEquals(StoreException.Kind.IO, e.kind());
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        }
    }

    @Test
    void payloadsAreCopiedOnAppend() throws Exception {
        try (MessageLog log = MessageLog.open(dir, FsyncPolicy.never())) {
            byte[] b = body("abc");
            CompletableFuture<Appended> f = log.append("q", key(1), (short) 0, b);
            b[0] = 'X';
            get(f);
            assertArrayEquals(body("abc"), log.read("q", 0, 1, 10).get(0).payload());
        }
    }

    static List<String> texts(List<StoredMessage> ms) {
        return ms.stream().map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
    }
}
