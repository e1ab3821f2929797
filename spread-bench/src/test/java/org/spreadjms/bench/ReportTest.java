package org.spreadjms.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.spreadjms.bench.Report.Outcome;
import org.spreadjms.bench.Rounds.Summary;

/** The arithmetic of rounds (medians, paired ratios, failed rounds) on fabricated figures. */
@Timeout(value = 5, unit = TimeUnit.SECONDS)
class ReportTest {
    private static final BenchSystem RAW = BenchSystem.RAW;
    private static final BenchSystem JMS = BenchSystem.SPREADJMS;

    /** A run that consumed {@code msgsPerSecond} messages in one second. */
    private static Outcome<Throughput> rate(long msgsPerSecond) {
        return Outcome.of(new Throughput(msgsPerSecond, 1_000_000_000L));
    }

    private static Report report(int rounds) {
        return new Report(BenchOptions.defaults().withRounds(rounds));
    }

    private static void topic(Report r, BenchSystem s, long... rates) {
        for (int i = 0; i < rates.length; i++) {
            r.topic(s, i + 1, rates[i] < 0 ? Outcome.failed("boom " + (i + 1)) : rate(rates[i]));
        }
    }

    private static String printed(Report r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void summaryTakesTheMiddleValueOrTheMeanOfTheMiddleTwo() {
        assertEquals(new Summary(3, 1, 9), Summary.of(List.of(9.0, 1.0, 3.0)));
        assertEquals(new Summary(2.5, 1, 9), Summary.of(List.of(9.0, 1.0, 2.0, 3.0)));
        assertEquals(new Summary(4, 4, 4), Summary.of(List.of(4.0)));
        assertNull(Summary.of(List.of()));
    }

    @Test
    void spreadJmsVsRawIsTheMedianOfThePerRoundRatiosNotTheRatioOfMedians() {
        Report r = report(3);
        topic(r, RAW, 100, 200, 300);
        topic(r, JMS, 90, 100, 240);
        Map<String, String> kv = r.keyValues();

        assertEquals("3", kv.get("bench.rounds"));
        assertEquals("200", kv.get("topic.raw.msgs_per_s"));
        assertEquals("100,200,300", kv.get("topic.raw.rounds"));
        assertEquals("100", kv.get("topic.spreadjms.msgs_per_s"));
        assertEquals("90,100,240", kv.get("topic.spreadjms.rounds"));
        // rounds: 0.9, 0.5, 0.8; the ratio of the medians would be 0.5
        assertEquals("0.800", kv.get("topic.ratio.spreadjms_vs_raw"));
        assertEquals("0.900,0.500,0.800", kv.get("topic.ratio.spreadjms_vs_raw.rounds"));
        assertEquals("0.500", kv.get("topic.ratio.spreadjms_vs_raw.min"));
        assertEquals("0.900", kv.get("topic.ratio.spreadjms_vs_raw.max"));
        assertFalse(kv.keySet().stream().anyMatch(k -> k.endsWith(".error")), kv::toString);

        String text = printed(r);
        assertTrue(text.contains("min-max") && text.contains("100-300") && text.contains("90-240"), text);
        assertTrue(text.matches("(?s).*spread-jms\\s+100\\s+90-240\\s+0\\.1\\s+1\\.00x.*"), text);
        assertTrue(text.matches("(?s).*raw spread-client\\s+200\\s+100-300\\s+0\\.2\\s+0\\.80x.*"), text);
    }

    @Test
    void aFailedRoundIsReportedAndLeftOutOfMediansAndPairs() {
        Report r = report(3);
        topic(r, RAW, 100, -1, 300);
        topic(r, JMS, 90, 100, -1);
        Map<String, String> kv = r.keyValues();

        assertEquals("200", kv.get("topic.raw.msgs_per_s"));
        assertEquals("100,failed,300", kv.get("topic.raw.rounds"));
        assertEquals("\"round 2/3: boom 2\"", kv.get("topic.raw.error"));
        assertEquals("95", kv.get("topic.spreadjms.msgs_per_s"));
        assertEquals("\"round 3/3: boom 3\"", kv.get("topic.spreadjms.error"));
        // only round 1 has both
        assertEquals("0.900", kv.get("topic.ratio.spreadjms_vs_raw"));
        assertEquals("0.900,failed,failed", kv.get("topic.ratio.spreadjms_vs_raw.rounds"));
        assertEquals("0.900", kv.get("topic.ratio.spreadjms_vs_raw.min"));
        assertEquals("0.900", kv.get("topic.ratio.spreadjms_vs_raw.max"));
        assertTrue(printed(r).contains("FAILED round 2/3: boom 2"), printed(r));
    }

    @Test
    void noRatioWithoutARoundWhereBothSucceeded() {
        Report r = report(2);
        topic(r, RAW, -1, 300);
        topic(r, JMS, 90, -1);
        Map<String, String> kv = r.keyValues();
        assertEquals("300", kv.get("topic.raw.msgs_per_s"));
        assertEquals("90", kv.get("topic.spreadjms.msgs_per_s"));
        assertFalse(kv.keySet().stream().anyMatch(k -> k.startsWith("topic.ratio.")), kv::toString);
    }

    @Test
    void allRoundsFailedLeavesOnlyTheErrors() {
        Report r = report(2);
        topic(r, RAW, -1, -1);
        Map<String, String> kv = r.keyValues();
        assertNull(kv.get("topic.raw.msgs_per_s"));
        assertEquals("failed,failed", kv.get("topic.raw.rounds"));
        assertEquals("\"round 1/2: boom 1; round 2/2: boom 2\"", kv.get("topic.raw.error"));
        assertTrue(printed(r).contains("FAILED: round 1/2: boom 1; round 2/2: boom 2"), printed(r));
    }

    @Test
    void ratiosAgainstBrokersUseTheMedians() {
        Report r = report(3);
        topic(r, JMS, 90, 100, 240);
        topic(r, BenchSystem.CLASSIC, 50, 400, 200);
        for (int round = 1; round <= 3; round++) {
            r.queue(JMS, 2, round, rate(100L * round));
            r.queue(BenchSystem.ARTEMIS, 2, round, round == 2 ? Outcome.failed("lost") : rate(40L * round));
        }
        Map<String, String> kv = r.keyValues();

        assertEquals("0.500", kv.get("topic.ratio.spreadjms_vs_classic"));
        assertEquals("200", kv.get("queue.spreadjms.c2.msgs_per_s"));
        assertEquals("100,200,300", kv.get("queue.spreadjms.c2.rounds"));
        assertEquals("80", kv.get("queue.artemis.c2.msgs_per_s"));
        assertEquals("40,failed,120", kv.get("queue.artemis.c2.rounds"));
        assertEquals("\"round 2/3: lost\"", kv.get("queue.artemis.c2.error"));
        assertEquals("2.500", kv.get("queue.ratio.c2.spreadjms_vs_artemis"));
        assertNull(kv.get("topic.ratio.spreadjms_vs_raw"));
        String text = printed(r);
        assertTrue(text.contains("100-300") && text.contains("40-120") && text.contains("2: round 2/3: lost"), text);
    }

    @Test
    void oneRoundKeepsTheFormerFiguresAndTable() {
        Report r = report(1);
        topic(r, RAW, 200);
        topic(r, JMS, 150);
        Map<String, String> kv = r.keyValues();
        assertEquals("200", kv.get("topic.raw.msgs_per_s"));
        assertEquals("200", kv.get("topic.raw.rounds"));
        assertEquals("0.750", kv.get("topic.ratio.spreadjms_vs_raw"));
        assertFalse(printed(r).contains("min-max"), printed(r));

        Report failed = report(1);
        failed.topic(RAW, 1, Outcome.failed("Spread daemon did not start"));
        assertEquals("\"Spread daemon did not start\"", failed.keyValues().get("topic.raw.error"));
    }
}
