package org.spreadjms.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every workload with tiny counts against the raw client and spread-jms (the brokers stay out of `mvn verify`). */
class JmsBenchTest {
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void runsEveryWorkloadAgainstRawAndSpreadJmsAndReportsPositiveFigures() {
        BenchOptions options = BenchOptions.parse("--messages", "500", "--warmup", "100", "--round-trips", "200",
                "--rr-warmup", "50", "--consumers", "1,2", "--timeout", "15")
                .withSystems(EnumSet.of(BenchSystem.RAW, BenchSystem.SPREADJMS));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Report report = new JmsBench(options, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
        Map<String, String> kv = report.keyValues();

        List<String> errors = kv.keySet().stream().filter(k -> k.endsWith(".error")).toList();
        assertTrue(errors.isEmpty(), () -> "failed runs " + errors + " in " + kv + "; progress:\n"
                + progress.toString(StandardCharsets.UTF_8));
        for (String key : List.of("topic.raw.msgs_per_s", "topic.spreadjms.msgs_per_s", "topic.ratio.spreadjms_vs_raw",
                "rr.raw.p50_us", "rr.raw.p99_us", "rr.spreadjms.p50_us", "rr.spreadjms.p99_us",
                "rr.spreadjms.p999_us", "rr.spreadjms.max_us", "queue.spreadjms.c1.msgs_per_s",
                "queue.spreadjms.c2.msgs_per_s")) {
            assertTrue(kv.containsKey(key), () -> key + " missing from " + kv);
            assertTrue(Double.parseDouble(kv.get(key)) > 0, () -> key + "=" + kv.get(key));
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        report.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("== topic:") && text.contains("== request/reply:") && text.contains("== queue:"),
                text);
        assertTrue(text.contains("topic.ratio.spreadjms_vs_raw="), text);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void parsesOptionsAndRejectsUnknownOnesByName() {
        BenchOptions o = BenchOptions.parse("--messages", "200_000", "--systems", "spreadjms,artemis", "--workloads",
                "rr", "--window", "0", "--timeout", "5");
        assertEquals(200_000, o.messages());
        assertEquals(EnumSet.of(BenchSystem.SPREADJMS, BenchSystem.ARTEMIS), o.systems());
        assertEquals(EnumSet.of(Workload.RR), o.workloads());
        assertEquals(0, o.window());
        assertEquals(Duration.ofSeconds(5), o.timeout());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse("--mesages", "5"));
        assertTrue(e.getMessage().contains("--mesages"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse("--systems", "rabbit"));
        assertTrue(e.getMessage().contains("rabbit"), e.getMessage());
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void parsesRoundsAndRejectsAnythingButAPositiveWholeNumber() {
        assertEquals(1, BenchOptions.parse().rounds());
        assertEquals(5, BenchOptions.parse("--rounds", "5").rounds());
        assertEquals(5, BenchOptions.parse("--rounds", "5", "--messages", "10").rounds());
        for (String bad : List.of("0", "-2", "three", "1.5", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BenchOptions.parse("--rounds", bad));
            assertTrue(e.getMessage().contains("--rounds"), e.getMessage());
        }
        assertEquals("option --rounds is 0 (at least 1 allowed)",
                assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--rounds", "0")).getMessage());
        assertEquals("option --rounds needs a whole number, got 'three'",
                assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--rounds", "three"))
                        .getMessage());
        assertEquals("option --rounds needs a value",
                assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--rounds")).getMessage());
        assertTrue(BenchOptions.USAGE.contains("--rounds N"), BenchOptions.USAGE);
    }

    @Test
    void spreadJmsOptionsArePassedToTheConnectionFactoryUri() {
        assertEquals("", BenchOptions.parse().spreadJmsOptions());
        BenchOptions o = BenchOptions.parse("--spreadjms-options", "alwaysSessionAsync=false");
        assertEquals("alwaysSessionAsync=false", o.spreadJmsOptions());
        assertTrue(BenchOptions.USAGE.contains("--spreadjms-options"), BenchOptions.USAGE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse("--spreadjms-options", "bogus=1"));
        assertTrue(e.getMessage().contains("--spreadjms-options") && e.getMessage().contains("bogus"),
                e.getMessage());
    }

    @Test
    void spreadDaemonOptionTakesHostAndPortAndRefusesAnythingElse() {
        assertNull(BenchOptions.parse().spreadDaemon());
        assertEquals(new BenchOptions.DaemonAddress("127.0.0.1", 4803),
                BenchOptions.parse("--spread-daemon", "127.0.0.1:4803").spreadDaemon());
        assertEquals(new BenchOptions.DaemonAddress("::1", 4803),
                BenchOptions.parse("--spread-daemon", "::1:4803").spreadDaemon());
        for (String bad : List.of("4803", "host:", ":4803", "host:0", "host:70000", "host:x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BenchOptions.parse("--spread-daemon", bad));
            assertTrue(e.getMessage().contains("--spread-daemon"), e.getMessage());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void roundsAlternateRawAndSpreadJmsAndKeepEveryRound() {
        BenchOptions options = BenchOptions.parse("--messages", "300", "--warmup", "50", "--workloads", "topic,queue",
                "--consumers", "1", "--timeout", "15", "--rounds", "2")
                .withSystems(EnumSet.of(BenchSystem.RAW, BenchSystem.SPREADJMS));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Map<String, String> kv = new JmsBench(options, new PrintStream(progress, true, StandardCharsets.UTF_8)).run()
                .keyValues();
        String log = progress.toString(StandardCharsets.UTF_8);

        List<String> started = log.lines().filter(l -> l.startsWith("running ")).toList();
        assertEquals(List.of("running raw spread-client topic, round 1/2 ...",
                "running spread-jms topic, round 1/2 ...",
                "running spread-jms queue with 1 consumer(s), round 1/2 ...",
                "running raw spread-client topic, round 2/2 ...",
                "running spread-jms topic, round 2/2 ...",
                "running spread-jms queue with 1 consumer(s), round 2/2 ..."), started, log);
        for (String key : List.of("topic.raw.rounds", "topic.spreadjms.rounds", "topic.ratio.spreadjms_vs_raw.rounds",
                "queue.spreadjms.c1.rounds")) {
            String[] rounds = kv.getOrDefault(key, "").split(",");
            assertEquals(2, rounds.length, () -> key + " in " + kv + "; progress:\n" + log);
            for (String v : rounds) {
                assertTrue(Double.parseDouble(v) > 0, () -> key + "=" + kv.get(key));
            }
        }
        assertTrue(kv.containsKey("topic.ratio.spreadjms_vs_raw.min"), kv::toString);
    }
}
