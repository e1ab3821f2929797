package org.spreadjms.cli;

import java.time.Duration;

/** The bounds every benchmark wait is held to. */
final class Deadlines {
    /** Longest a run may go without anything arriving. */
    static final Duration STALL = Duration.ofSeconds(10);

    private Deadlines() {
    }

    /** Fails when {@code deadlineNanos} has passed. */
    static void check(long deadlineNanos, String what, long done, long of) {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new IllegalStateException(what + " passed --time-limit after " + done + " of " + of);
        }
    }

    static IllegalStateException stalled(String what, long done, long of) {
        return new IllegalStateException(what + " stalled: nothing arrived for " + STALL.toSeconds() + " s after "
                + done + " of " + of);
    }
}
