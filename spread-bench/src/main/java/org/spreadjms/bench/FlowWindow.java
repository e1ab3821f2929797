package org.spreadjms.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The fairness scheme shared by every system: the producer keeps at most {@code window} messages sent and not yet
 * consumed. When the window is full it parks until the consumers have caught up to half a window behind, then sends
 * again. The credit travels inside the JVM (consumers and producer live in the same process), so no system pays for
 * an extra control topic. This bounds what piles up in a Spread daemon's per-session queue (which cuts a session off
 * after 1000 frames, as real daemons do) and in the brokers' memory alike.
 *
 * <p>Threads: {@link #consumed()} and {@link #fail} are called by consumer threads (listeners), every other method
 * by the producer threads (one, or several with {@code --persistent-producers}; each waits on its own).
 */
final class FlowWindow {
    private static final long PARK_NANOS = 10_000_000;

    private final int window;
    private final AtomicLong consumed = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Producer threads waiting, each with the consumed count it waits for. */
    private final Map<Thread, Long> waiters = new ConcurrentHashMap<>();

    /** @param window most messages in flight; 0 for no bound */
    FlowWindow(int window) {
        this.window = window;
    }

    /** A consumer took one message. */
    void consumed() {
        long n = consumed.incrementAndGet();
        if (!waiters.isEmpty()) {
            waiters.forEach((t, target) -> {
                if (n >= target) {
                    LockSupport.unpark(t);
                }
            });
        }
    }

    /** A consumer or connection failed asynchronously: the producer stops at its next call. */
    void fail(Throwable cause) {
        if (failure.compareAndSet(null, cause)) {
            waiters.keySet().forEach(LockSupport::unpark);
        }
    }

    long consumedCount() {
        return consumed.get();
    }

    /** Called before sending message number {@code sent} (0-based): waits while the window is full. */
    void beforeSend(long sent, Deadline deadline) throws Exception {
        if (window > 0 && sent - consumed.get() >= window) {
            awaitConsumed(sent - window / 2, deadline);
        } else {
            checkFailure();
        }
    }

    /** Waits until {@code target} messages have been consumed in all. */
    void awaitConsumed(long target, Deadline deadline) throws Exception {
        waiters.put(Thread.currentThread(), target);
        try {
            while (consumed.get() < target) {
                checkFailure();
                deadline.check(target + " messages consumed (" + consumed.get() + " so far)");
                LockSupport.parkNanos(this, Math.min(PARK_NANOS, Math.max(1, deadline.remainingNanos())));
            }
        } finally {
            waiters.remove(Thread.currentThread());
        }
        checkFailure();
    }

    /** Throws if a consumer or connection has failed. */
    void checkFailure() {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("consumer side failed: " + t, t);
        }
    }
}
