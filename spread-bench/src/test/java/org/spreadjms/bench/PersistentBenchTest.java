package org.spreadjms.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.spreadjms.bench.Report.Outcome;
import org.spreadjms.store.log.FsyncPolicy;

/**
 * The persistent workloads (pqueue, ptopic, pbacklog) with tiny counts against all three JMS systems with
 * persistence on: a store member on the
 * embedded daemon, Classic with KahaDB, Artemis with its journal, their data in one directory that must be empty
 * afterwards.
 */
class PersistentBenchTest {
    private static final List<BenchSystem> JMS_SYSTEMS = List.of(BenchSystem.SPREADJMS, BenchSystem.CLASSIC,
            BenchSystem.ARTEMIS);
    private static final int MESSAGES = 200;
    private static final int WARMUP = 20;

    @TempDir
    Path dataDir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyPersistentMessageArrivesOnceAndEverySendIsTimedOnEverySystem() throws Exception {
        BenchOptions options = BenchOptions.parse("--workloads", "pqueue,ptopic,pbacklog", "--persistent-messages",
                Integer.toString(MESSAGES), "--persistent-warmup", Integer.toString(WARMUP), "--persistent-timeout",
                "20", "--data-dir", dataDir.toString(),
                // Artemis's default group-commit window (3.3 ms with NIO) would make its sends the test's slowest
                "--artemis-journal-buffer-us", "500").withSystems(EnumSet.copyOf(JMS_SYSTEMS));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Report report = new JmsBench(options, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
        String log = progress.toString(StandardCharsets.UTF_8);
        Map<String, String> kv = report.keyValues();

        List<String> errors = kv.keySet().stream().filter(k -> k.endsWith(".error")).toList();
        assertTrue(errors.isEmpty(), () -> "failed runs " + errors + " in " + kv + "; progress:\n" + log);
        for (BenchSystem s : JMS_SYSTEMS) {
            assertDelivered(report.persistentRuns(Workload.PQUEUE, s), s, log);
            // a backlog sent while the queue had no consumer, drained by one started afterwards (twice: warm-up)
            assertDelivered(report.persistentRuns(Workload.PBACKLOG, s), s, log);
            for (String key : List.of("msgs_per_s", "send_p50_us", "send_p99_us")) {
                String k = "pqueue." + s.key() + "." + key;
                assertTrue(Double.parseDouble(kv.getOrDefault(k, "0")) > 0, () -> k + " in " + kv);
            }
        }
        for (BenchSystem s : List.of(BenchSystem.CLASSIC, BenchSystem.ARTEMIS)) {
            assertDelivered(report.persistentRuns(Workload.PTOPIC, s), s, log);
            assertTrue(Double.parseDouble(kv.getOrDefault("ptopic." + s.key() + ".send_p99_us", "0")) > 0,
                    kv::toString);
        }
        // spread-jms's durable subscriptions come with the store (issue 14): until then, "not supported"
        Outcome<PersistentRun> spreadTopic = report.persistentRuns(Workload.PTOPIC, BenchSystem.SPREADJMS).get(1);
        assertNotNull(spreadTopic, log);
        if (spreadTopic.unsupported()) {
            assertTrue(spreadTopic.error().contains("durable"), spreadTopic.error());
            assertTrue(kv.containsKey("ptopic.spreadjms.unsupported"), kv::toString);
        } else {
            assertDelivered(report.persistentRuns(Workload.PTOPIC, BenchSystem.SPREADJMS), BenchSystem.SPREADJMS,
                    log);
        }
        for (String key : List.of("pqueue.ratio.spreadjms_vs_classic", "pqueue.ratio.spreadjms_vs_artemis",
                "pqueue.ratio.send_p99.spreadjms_vs_classic", "pqueue.ratio.send_p99.spreadjms_vs_artemis")) {
            assertTrue(Double.parseDouble(kv.getOrDefault(key, "0")) > 0, () -> key + " in " + kv);
        }

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        report.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("== pqueue:") && text.contains("== ptopic:") && text.contains("== pbacklog:"), text);
        assertTrue(text.contains("KahaDB") && text.contains("journal-sync-non-transactional=true")
                && text.contains("journal-buffer-timeout 500 us")
                && text.contains("spread-store member") && text.contains("fsync batch:2 ms"), text);
        assertFalse(text.contains("non-persistent"), "only persistent hosts were started:\n" + text);
        try (Stream<Path> left = Files.list(dataDir)) {
            assertEquals(List.of(), left.toList(), "the brokers' and the store member's data are deleted");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void severalProducersSendAtOnceAndEveryMessageArrivesOnce() throws Exception {
        BenchOptions options = BenchOptions.parse("--workloads", "pqueue,ptopic", "--persistent-messages",
                Integer.toString(MESSAGES), "--persistent-warmup", Integer.toString(WARMUP), "--persistent-timeout",
                "20", "--data-dir", dataDir.toString(), "--persistent-producers", "3")
                .withSystems(EnumSet.of(BenchSystem.SPREADJMS, BenchSystem.CLASSIC));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Report report = new JmsBench(options, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
        String log = progress.toString(StandardCharsets.UTF_8);
        for (BenchSystem s : List.of(BenchSystem.SPREADJMS, BenchSystem.CLASSIC)) {
            assertDelivered(report.persistentRuns(Workload.PQUEUE, s), s, log);
            assertDelivered(report.persistentRuns(Workload.PTOPIC, s), s, log);
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        report.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("== pqueue: 3 producer(s)"), text);
    }

    /** One round whose messages all arrived exactly once, with one send time per measured message. */
    private static void assertDelivered(SortedMap<Integer, Outcome<PersistentRun>> rounds, BenchSystem s,
            String log) {
        Outcome<PersistentRun> o = rounds.get(1);
        assertNotNull(o, () -> s + " did not run; progress:\n" + log);
        PersistentRun r = o.value();
        assertNotNull(r, () -> s + ": " + o.error() + "; progress:\n" + log);
        assertEquals(MESSAGES + WARMUP, r.sent(), s.key());
        assertEquals(r.sent(), r.received(), s.key());
        assertEquals(MESSAGES, r.sends().count(), s.key());
        assertEquals(MESSAGES, r.throughput().messages(), s.key());
        assertTrue(r.sends().percentileMicros(0.5) > 0, s.key());
        assertTrue(r.sends().percentileMicros(0.99) >= r.sends().percentileMicros(0.5), s.key());
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void persistentWorkloadsRunOnlyWhenAskedForAndTheirOptionsAreChecked() {
        BenchOptions d = BenchOptions.parse();
        assertEquals(EnumSet.of(Workload.TOPIC, Workload.RR, Workload.QUEUE), d.workloads());
        assertEquals(10_000, d.persistent().messages());
        assertEquals(1_000, d.persistent().warmup());
        assertEquals(FsyncPolicy.defaultPolicy(), d.persistent().storeFsync());
        assertEquals("1", d.persistent().storeAcks());
        assertEquals(-1, d.persistent().artemisBufferMicros());
        assertEquals(1, d.persistent().producers());
        assertEquals(4, BenchOptions.parse("--persistent-producers", "4").persistent().producers());

        BenchOptions o = BenchOptions.parse("--workloads", "pqueue,ptopic,topic", "--store-fsync", "always",
                "--store-acks", "all", "--artemis-journal-buffer-us", "500", "--persistent-messages", "5_000");
        assertEquals(EnumSet.of(Workload.PQUEUE, Workload.PTOPIC, Workload.TOPIC), o.workloads());
        assertEquals(FsyncPolicy.always(), o.persistent().storeFsync());
        assertEquals("all", o.persistent().storeAcks());
        assertEquals(500, o.persistent().artemisBufferMicros());
        assertEquals(5_000, o.persistent().messages());
        assertEquals(FsyncPolicy.batch(java.time.Duration.ofMillis(7)),
                BenchOptions.parse("--store-fsync", "batch:7").persistent().storeFsync());

        for (String[] bad : List.of(new String[] {"--store-fsync", "sometimes"}, new String[] {"--store-acks", "0"},
                new String[] {"--store-acks", "many"}, new String[] {"--data-dir", "/no/such/dir"},
                new String[] {"--artemis-journal-buffer-us", "2000000"}, new String[] {"--workloads", "pqeue"},
                new String[] {"--persistent-producers", "0"}, new String[] {"--persistent-producers", "65"})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(bad));
            assertTrue(e.getMessage().contains(bad[0].equals("--workloads") ? "pqeue" : bad[0]), e.getMessage());
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void onlyARefusalOfDurableSubscriptionsCountsAsNotSupported() {
        assertTrue(PersistentWorkloads.refusesDurable(new jakarta.jms.JMSException(
                "durable subscriptions need a message store; spread-jms has none yet")));
        assertTrue(PersistentWorkloads.refusesDurable(new UnsupportedOperationException()));
        assertFalse(PersistentWorkloads.refusesDurable(new jakarta.jms.JMSException("connection lost")));
        assertFalse(PersistentWorkloads.refusesDurable(new jakarta.jms.InvalidClientIDException(
                "client id 'x' is in use")));
    }
}
