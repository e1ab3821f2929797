package org.spreadjms.bench;

import java.time.Duration;

/** The time one system has for one workload; every wait in a run is bounded by it. */
final class Deadline {
    private final long endNanos;
    private final Duration budget;

    private Deadline(Duration budget) {
        this.budget = budget;
        this.endNanos = System.nanoTime() + budget.toNanos();
    }

    static Deadline in(Duration budget) {
        return new Deadline(budget);
    }

    long remainingNanos() {
        return endNanos - System.nanoTime();
    }

    /** Remaining milliseconds, at least 1 (so a JMS {@code receive(ms)} never means "forever"). */
    long remainingMillis() {
        return Math.max(1, remainingNanos() / 1_000_000);
    }

    boolean expired() {
        return remainingNanos() <= 0;
    }

    /** Throws when the time is up, saying what was being waited for. */
    void check(String waitingFor) throws BenchTimeoutException {
        if (expired()) {
            throw new BenchTimeoutException("aborted after " + budget.toSeconds() + " s waiting for " + waitingFor);
        }
    }

    Duration budget() {
        return budget;
    }

    /** A run went over its time. */
    static final class BenchTimeoutException extends Exception {
        BenchTimeoutException(String message) {
            super(message);
        }
    }
}
