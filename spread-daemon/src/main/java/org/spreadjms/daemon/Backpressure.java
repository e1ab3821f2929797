package org.spreadjms.daemon;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Slows the senders to a congested session down instead of dropping that session at the first burst, and leaves
 * everyone else alone. A session is congested when its outbound queue reaches the high-water mark (half the cut-off,
 * in frames or in bytes) and its socket takes no more. A client whose frame is then queued for it waits: the daemon stops reading from that
 * client (its later frames stay in TCP) until every session it waits for is back below the low-water mark (a
 * quarter, in frames and in bytes) or gone. Clients that send nothing to a congested session are read as usual.
 *
 * <p>Total order is unaffected: frames are ordered when the selector thread processes them, and a waiting client's
 * frames are simply not processed yet; its own frames stay in sending order because none is skipped.
 *
 * <p>A session that stays congested for the congestion timeout is cut off, so a client that never reads holds its
 * senders back for that long at most; the hard cut-off at the queue limit still applies. Used by the selector thread
 * only.
 */
final class Backpressure {
    private final int highWater;
    private final int lowWater;
    private final long highWaterBytes;
    private final long lowWaterBytes;
    private final long timeoutNanos;
    /** Congested sessions: since when, and the clients waiting for each. */
    private final Map<Session, Congestion> congested = new IdentityHashMap<>();

    private static final class Congestion {
        final long sinceNanos;
        /** Sessions identify by identity, so this is an identity set in first-come order. */
        final Set<Session> waiting = new LinkedHashSet<>();

        Congestion(long sinceNanos) {
            this.sinceNanos = sinceNanos;
        }
    }

    Backpressure(int maxQueuedMessages, long maxQueuedBytes, long timeoutNanos) {
        this.highWater = Math.max(1, maxQueuedMessages / 2);
        this.lowWater = Math.max(0, maxQueuedMessages / 4);
        this.highWaterBytes = maxQueuedBytes / 2;
        this.lowWaterBytes = maxQueuedBytes / 4;
        this.timeoutNanos = timeoutNanos;
    }

    int congestedSessions() {
        return congested.size();
    }

    /** Whether {@code s} has reached the high-water mark (flush it before calling {@link #congested}). */
    boolean atHighWater(Session s) {
        return s.queued() >= highWater || s.queuedBytes() >= highWaterBytes;
    }

    /**
     * Records that {@code target} is congested after a frame from {@code sender} (null for frames no client sent,
     * such as disconnect notices) was queued for it; the sender now waits for it.
     *
     * @return true if the sender was reading and must now be paused
     */
    boolean congested(Session target, Session sender) {
        Congestion c = congested.computeIfAbsent(target, t -> new Congestion(System.nanoTime()));
        if (sender == null || !c.waiting.add(sender)) {
            return false;
        }
        sender.waitingFor++;
        return sender.waitingFor == 1;
    }

    /**
     * After {@code s} was written to (or closed): if it is no longer congested, the clients waiting only for it.
     *
     * @return the sessions that may be read again (empty if none)
     */
    List<Session> drained(Session s) {
        if (s.isOpen() && (s.queued() > lowWater || s.queuedBytes() > lowWaterBytes)) {
            return List.of();
        }
        Congestion c = congested.remove(s);
        if (c == null) {
            return List.of();
        }
        List<Session> released = new ArrayList<>();
        for (Session w : c.waiting) {
            if (--w.waitingFor == 0) {
                released.add(w);
            }
        }
        return released;
    }

    /** Sessions each congested for longer than the timeout (to be cut off). */
    List<Session> overdue() {
        long now = System.nanoTime();
        List<Session> out = new ArrayList<>();
        congested.forEach((s, c) -> {
            if (now - c.sinceNanos >= timeoutNanos) {
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
        for (Congestion c : congested.values()) {
            oldest = Math.min(oldest, c.sinceNanos);
        }
        long left = oldest + timeoutNanos - System.nanoTime();
        return Math.max(1, left / 1_000_000 + 1);
    }
}
