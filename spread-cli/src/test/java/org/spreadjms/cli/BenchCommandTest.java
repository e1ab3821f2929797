package org.spreadjms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BenchCommandTest {
    @ParameterizedTest
    @ValueSource(strings = {"flood", "topic", "queue", "request-reply", "fan-out"})
    void tinyRunOfEachScenarioEndsWithTheKeyValueLine(String scenario) {
        CliRun r = CliRun.run("bench", "--scenario", scenario, "--count", "200", "--warmup", "20", "--size", "64");
        assertEquals(0, r.exitCode, () -> r.out + "\n" + r.err);
        String[] lines = r.out.toString().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.matches("scenario=" + scenario + " size=64 count=\\d+ msgs_per_s=\\d+ mb_per_s=[0-9.]+"
                + " p50_us=\\d+ p99_us=\\d+ max_us=\\d+.*"), last);
        assertTrue(r.err.toString().contains("100%"), "progress bar reaches 100%");
    }

    @ParameterizedTest
    @ValueSource(strings = {"queue", "fan-out"})
    void consumersAreCountedInTheFigures(String scenario) {
        CliRun r = CliRun.run("bench", "--scenario", scenario, "--count", "100", "--warmup", "0", "--consumers", "3");
        assertEquals(0, r.exitCode, () -> r.out + "\n" + r.err);
        assertTrue(r.out.toString().contains("consumers=3"), r.out::toString);
        int expected = scenario.equals("queue") ? 100 : 300;
        assertTrue(r.out.toString().contains(" count=" + expected + " "), r.out::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"flood", "topic", "request-reply"})
    void consumersOnAOneConsumerScenarioIsAUsageError(String scenario) {
        CliRun r = CliRun.run("bench", "--scenario", scenario, "--consumers", "3");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.toString().contains("--consumers applies to the queue and fan-out scenarios"),
                r.err::toString);
    }
}
