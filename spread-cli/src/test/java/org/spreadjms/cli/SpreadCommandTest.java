package org.spreadjms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpreadCommandTest {
    @Test
    void demoNarratesEveryStepAndExitsZero() {
        CliRun r = CliRun.run("demo");
        assertEquals(0, r.exitCode, () -> r.out + "\n" + r.err);
        String out = r.out.toString();
        for (String s : new String[] {"Step 1: Publish/subscribe", "alice got         'headline 3'",
                "Step 2: Competing consumers", "each job was taken exactly once", "Step 3: Request/reply",
                "client got reply  'HELLO SPREAD'", "Step 4: Membership advisories", "now 3 members",
                "Step 5: A plain Spread program", "raw client got    'hi from JMS'",
                "Step 6: A store member keeps", "consumer got      'order 4'", "subscriber got    'price 3'",
                "Demo finished"}) {
            assertTrue(out.contains(s), () -> "missing '" + s + "' in:\n" + out);
        }
    }

    @Test
    void unknownOptionIsAUsageErrorWithExitCode2() {
        CliRun r = CliRun.run("send", "--topic", "t", "--bogus");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.toString().startsWith("spread send: Unknown option: '--bogus'"), r.err::toString);
        assertTrue(r.err.toString().contains("See 'spread send --help'"), r.err::toString);
    }

    @Test
    void twoTargetsAreAUsageError() {
        CliRun r = CliRun.run("send", "--topic", "t", "--group", "g", "--text", "x");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.toString().contains("mutually exclusive"), r.err::toString);
    }

    @Test
    void missingTargetIsAUsageError() {
        CliRun r = CliRun.run("listen", "--count", "1");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.toString().contains("Missing required argument"), r.err::toString);
    }

    @Test
    void countWithStandardInputIsAUsageError() {
        CliRun r = CliRun.run("send", "--topic", "t", "--count", "3");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.toString().contains("--count repeats a --text or --file body"), r.err::toString);
    }

    @Test
    void unknownScenarioListsTheScenarios() {
        CliRun r = CliRun.run("bench", "--scenario", "nope");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.toString().contains("'nope' is not a scenario (expected one of [flood, topic, queue,"
                + " request-reply, fan-out])"), r.err::toString);
    }

    @Test
    void misspelledCommandGetsASuggestion() {
        CliRun r = CliRun.run("bnch");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.toString().contains("Did you mean: spread bench?"), r.err::toString);
    }

    @Test
    void unreachableDaemonFailsWithExitCode1AndOneClearLine() {
        CliRun r = CliRun.run("send", "--url", "spread://127.0.0.1:1", "--topic", "t", "--text", "x");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.toString().startsWith("spread send: could not connect"), r.err::toString);
        assertTrue(!r.err.toString().contains("\tat "), "no stack trace by default");
    }

    @Test
    void everyCommandHasHelp() {
        for (String c : new String[] {"demo", "daemon", "send", "listen", "members", "store", "bench"}) {
            CliRun r = CliRun.run(c, "--help");
            assertEquals(0, r.exitCode, c);
            assertTrue(r.out.toString().startsWith("Usage: spread " + c), r.out::toString);
        }
    }

    @Test
    void versionNamesTheProjectVersion() {
        CliRun r = CliRun.run("--version");
        assertEquals(0, r.exitCode);
        assertTrue(r.out.toString().matches("(?s)spread \\d+\\.\\d+\\.\\d+.*"), r.out::toString);
    }
}
