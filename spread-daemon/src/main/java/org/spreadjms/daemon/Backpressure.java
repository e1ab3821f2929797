package org.spreadjms.daemon;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

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
    /** Congested sessions and since when each has been congested. */
    private final Map<Session, Long> congested = new IdentityHashMap<>();
    private boolean paused;

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
        if (s.queued() >= highWater && congested.putIfAbsent(s, System.nanoTime()) == null && !paused) {
            paused = true;
            return true;
        }
        return false;
    }

    /** After {@code s} was written to (or closed); true when reading may resume. */
    boolean drained(Session s) {
        if ((s.queued() <= lowWater || !s.isOpen()) && congested.remove(s) != null && congested.isEmpty() && paused) {
            paused = false;
            return true;
        }
        return false;
    }

    /** Sessions each congested for longer than the timeout (to be cut off). */
    List<Session> overdue() {
        long now = System.nanoTime();
        List<Session> out = new ArrayList<>();
        congested.forEach((s, since) -> {
            if (now - since >= timeoutNanos) {
                out.add(s);
            }
        });
        return out;
    }

    /** Millis until {@link #overdue()} may return something, or -1 when nothing is congested. */
    long millisToDeadline() {
        if (congested.isEmpty()) {
            return -1;
        }
        long oldest = Long.MAX_VALUE;
        for (long since : congested.values()) {
            oldest = Math.min(oldest, since);
        }
        long left = oldest + timeoutNanos - System.nanoTime();
        return Math.max(1, left / 1_000_000 + 1);
    }
}
