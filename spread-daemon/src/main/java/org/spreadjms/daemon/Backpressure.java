package org.spreadjms.daemon;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Slows senders down instead of dropping receivers at the first burst. When a session's outbound queue reaches the
 * high-water mark (half the cut-off), the daemon stops reading from every client, as a real Spread daemon does when
 * its ordering buffer is full: senders then block in TCP. Reading resumes when every congested session is back below
 * the low-water mark (a quarter). A session that stays congested for the congestion timeout is cut off, so a client
 * that never reads cannot stall the others for long; the hard cut-off at the queue limit still applies.
 * Used by the selector thread only.
 */
final class Backpressure {
    private final int highWater;
    private final int lowWater;
    private final long timeoutNanos;
    private final Set<Session> congested = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean paused;
    private long pausedSinceNanos;

    Backpressure(int maxQueuedMessages, long timeoutNanos) {
        this.highWater = Math.max(1, maxQueuedMessages / 2);
        this.lowWater = Math.max(0, maxQueuedMessages / 4);
        this.timeoutNanos = timeoutNanos;
    }

    boolean paused() {
        return paused;
    }

    /** After a frame was queued for {@code s}; true when reading must now pause. */
    boolean queued(Session s) {
        if (s.queued() >= highWater && congested.add(s) && !paused) {
            paused = true;
            pausedSinceNanos = System.nanoTime();
            return true;
        }
        return false;
    }

    /** After {@code s} was written to (or closed); true when reading may resume. */
    boolean drained(Session s) {
        if ((s.queued() <= lowWater || !s.isOpen()) && congested.remove(s) && congested.isEmpty() && paused) {
            paused = false;
            return true;
        }
        return false;
    }

    /** Sessions congested for longer than the timeout (to be cut off). */
    List<Session> overdue() {
        if (!paused || System.nanoTime() - pausedSinceNanos < timeoutNanos) {
            return List.of();
        }
        return new ArrayList<>(congested);
    }

    /** Millis until {@link #overdue()} may return something, or -1 when not paused. */
    long millisToDeadline() {
        if (!paused) {
            return -1;
        }
        long left = pausedSinceNanos + timeoutNanos - System.nanoTime();
        return Math.max(1, left / 1_000_000 + 1);
    }
}
