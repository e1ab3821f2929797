package org.spreadjms.daemon;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down password guessing. Every refused authentication locks its source address and its user name for a
 * penalty that doubles with each further failure ({@code base, 2 x base, 4 x base ...}, at most {@link #MAX_PENALTY}).
 * While a key is locked the answer to any authentication from that address or for that user (right or wrong) waits
 * until the lock ends, so parallel connections do not guess faster than one; and a lock is extended, not restarted,
 * by the next failure. A success clears both keys. Used by the selector thread only.
 *
 * <p>At most {@link #MAX_KEYS} keys are kept; unlocked ones are dropped first, so a flood of addresses cannot grow
 * the table without bound.
 */
final class LoginThrottle {
    static final Duration MAX_PENALTY = Duration.ofSeconds(4);
    /** However many failures pile up, no answer waits longer than this. */
    static final Duration MAX_LOCK = Duration.ofSeconds(30);
    private static final int MAX_KEYS = 10_000;
    private static final long FORGET_AFTER_NANOS = Duration.ofMinutes(10).toNanos();

    private static final class Entry {
        int failures;
        long lockedUntil;
    }

    private final long baseNanos;
    private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    LoginThrottle(Duration base) {
        this.baseNanos = base.toNanos();
    }

    /** Nanoseconds the answer for this attempt must wait (0: none). */
    long delayNanos(String address, String user, long now) {
        return Math.max(0, Math.max(lockedUntil("addr:" + address), lockedUntil("user:" + user)) - now);
    }

    /** A refused attempt: extends both locks; returns when its answer may go out. */
    long failed(String address, String user, long now) {
        long a = fail("addr:" + address, now);
        long u = user == null ? 0 : fail("user:" + user, now);
        return Math.max(a, u);
    }

    void succeeded(String address, String user) {
        entries.remove("addr:" + address);
        if (user != null) {
            entries.remove("user:" + user);
        }
    }

    private long lockedUntil(String key) {
        Entry e = entries.get(key);
        return e == null ? 0 : e.lockedUntil;
    }

    private long fail(String key, long now) {
        Entry e = entries.get(key);
        if (e == null) {
            prune(now);
            e = new Entry();
            entries.put(key, e);
        } else if (now - e.lockedUntil > FORGET_AFTER_NANOS) {
            e.failures = 0;
        }
        e.failures++;
        long penalty = Math.min(MAX_PENALTY.toNanos(), baseNanos << Math.min(20, e.failures - 1));
        e.lockedUntil = Math.min(Math.max(now, e.lockedUntil) + penalty, now + MAX_LOCK.toNanos());
        return e.lockedUntil;
    }

    private void prune(long now) {
        if (entries.size() < MAX_KEYS) {
            return;
        }
        Iterator<Entry> it = entries.values().iterator();
        // least recently used first
        while (it.hasNext() && entries.size() >= MAX_KEYS) {
            it.next();
            it.remove();
        }
    }

    int size() {
        return entries.size();
    }
}
