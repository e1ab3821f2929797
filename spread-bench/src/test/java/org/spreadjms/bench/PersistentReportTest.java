package org.spreadjms.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.spreadjms.bench.Report.Outcome;

/** The arithmetic of the persistent workloads' report (medians of per-round percentiles, ratios) on fabricated runs. */
@Timeout(value = 5, unit = TimeUnit.SECONDS)
class PersistentReportTest {
    /** A run of 100 messages in {@code seconds}, whose sends took 1..100 times {@code unitMicros}. */
    private static Outcome<PersistentRun> run(double seconds, long unitMicros) {
        long[] sends = LongStream.rangeClosed(1, 100).map(i -> i * unitMicros * 1000).toArray();
        return Outcome.of(new PersistentRun(new Throughput(100, (long) (seconds * 1e9)), new Latencies(sends), 110,
                110));
    }

    @Test
    void figuresAreMediansOverRoundsAndRatiosCompareSpreadJmsWithEachBroker() {
        Report r = new Report(BenchOptions.defaults().withRounds(3));
        r.persistent(Workload.PQUEUE, BenchSystem.SPREADJMS, 1, run(0.1, 10)); // 1000 msgs/s, p50 500, p99 990 us
        r.persistent(Workload.PQUEUE, BenchSystem.SPREADJMS, 2, run(0.05, 30)); // 2000 msgs/s, p99 2970 us
        r.persistent(Workload.PQUEUE, BenchSystem.SPREADJMS, 3, Outcome.failed("boom"));
        r.persistent(Workload.PQUEUE, BenchSystem.CLASSIC, 1, run(0.2, 20)); // 500 msgs/s, p99 1980 us
        r.persistent(Workload.PQUEUE, BenchSystem.CLASSIC, 2, run(0.2, 20));
        r.persistent(Workload.PQUEUE, BenchSystem.CLASSIC, 3, run(0.2, 20));
        r.persistent(Workload.PTOPIC, BenchSystem.SPREADJMS, 1, Outcome.unsupported("durable subscriptions refused"));
        r.persistent(Workload.PTOPIC, BenchSystem.ARTEMIS, 1, run(1, 40));
        Map<String, String> kv = r.keyValues();

        assertEquals("1500", kv.get("pqueue.spreadjms.msgs_per_s"));
        assertEquals("1000,2000,failed", kv.get("pqueue.spreadjms.rounds"));
        assertEquals("\"round 3/3: boom\"", kv.get("pqueue.spreadjms.error"));
        assertEquals("1000.0", kv.get("pqueue.spreadjms.send_p50_us")); // (500 + 1500) / 2
        assertEquals("1980.0", kv.get("pqueue.spreadjms.send_p99_us")); // (990 + 2970) / 2
        assertEquals("990.0,2970.0", kv.get("pqueue.spreadjms.send_p99_us.rounds").replace(",failed", ""));
        assertEquals("3.000", kv.get("pqueue.ratio.spreadjms_vs_classic"));
        assertEquals("1.000", kv.get("pqueue.ratio.send_p99.spreadjms_vs_classic"));
        assertEquals("\"durable subscriptions refused\"", kv.get("ptopic.spreadjms.unsupported"));
        assertFalse(kv.containsKey("ptopic.spreadjms.error"), kv::toString);
        assertFalse(kv.containsKey("ptopic.ratio.spreadjms_vs_artemis"), kv::toString);
        assertEquals("100", kv.get("ptopic.artemis.msgs_per_s"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("spread-jms           not supported: durable subscriptions refused"), text);
        assertTrue(text.contains("FAILED round 3/3: boom"), text);
        assertTrue(text.matches(
                "(?s).*ActiveMQ Classic\\s+500\\s+500-500\\s+1000\\.0\\s+1980\\.0\\s+.*3\\.00x\\s+1\\.00x.*"), text);
    }
}
