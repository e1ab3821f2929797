package org.spreadjms.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The throttle's arithmetic with a clock the test moves. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LoginThrottleTest {
    private static final long MS = 1_000_000L;

    @Test
    void penaltiesDoubleAndLocksAddUp() {
        LoginThrottle t = new LoginThrottle(Duration.ofMillis(100));
        long now = 1_000 * MS;
        assertEquals(now + 100 * MS, t.failed("10.0.0.1", "alice", now));
        assertEquals(now + 300 * MS, t.failed("10.0.0.1", "alice", now));   // 100 + 200, added to the lock
        assertEquals(now + 700 * MS, t.failed("10.0.0.1", "alice", now));   // + 400
        assertEquals(700 * MS, t.delayNanos("10.0.0.1", "bob", now), "the address is locked for any user");
        assertEquals(700 * MS, t.delayNanos("10.0.0.2", "alice", now), "the user is locked from any address");
        assertEquals(0, t.delayNanos("10.0.0.2", "bob", now));
    }

    @Test
    void onePenaltyIsCappedAndSoIsTheLock() {
        LoginThrottle t = new LoginThrottle(Duration.ofSeconds(1));
        long now = 0;
        long until = 0;
        for (int i = 0; i < 40; i++) {
            long before = Math.max(now, until);
            until = t.failed("a", "u", now);
            assertTrue(until - before <= LoginThrottle.MAX_PENALTY.toNanos());
        }
        assertEquals(LoginThrottle.MAX_LOCK.toNanos(), until - now);
    }

    @Test
    void successClearsTheLocks() {
        LoginThrottle t = new LoginThrottle(Duration.ofMillis(100));
        t.failed("a", "u", 0);
        t.failed("a", "u", 0);
        t.succeeded("a", "u");
        assertEquals(0, t.delayNanos("a", "u", 0));
        assertEquals(100 * MS, t.failed("a", "u", 0), "back to the first penalty");
    }

    @Test
    void theTableIsBounded() {
        LoginThrottle t = new LoginThrottle(Duration.ofMillis(1));
        for (int i = 0; i < 25_000; i++) {
            t.failed("10.1." + (i / 256) + "." + (i % 256), null, i);
        }
        assertTrue(t.size() <= 10_000, "entries " + t.size());
    }
}
