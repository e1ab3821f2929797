package org.spreadjms.jms.queue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.jms.JMSException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.ServiceType;
import org.spreadjms.jms.provider.Provider;

/**
 * The control messages one member of a queue group still has to send, in order. They go out from the connection's
 * timer thread (never from the provider's dispatcher thread, never under a caller's lock). A send that fails is
 * retried, after 50 ms doubling up to 2 s, until it goes out or the outbox is closed (the member left the group: then
 * the next view reassigns what it held); the first failure of an episode is logged as a warning, the recovery too.
 * Nothing is dropped while the member is in the group: a DECLINE that never went out would strand its message.
 */
final class ControlOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(ControlOutbox.class);
    private static final long FIRST_RETRY_MILLIS = 50;
    private static final long MAX_RETRY_MILLIS = 2_000;

    private final String group;
    private final Provider provider;
    private final ScheduledExecutorService timer;
    private final ArrayDeque<QueueControl> pending = new ArrayDeque<>();
    private boolean draining;
    private boolean closed;
    private long posted;
    private long sent;
    private int failures;

    ControlOutbox(String group, Provider provider, ScheduledExecutorService timer) {
        this.group = group;
        this.provider = provider;
        this.timer = timer;
    }

    /** Queues {@code c}; it goes out from the timer thread after everything queued before it. */
    void post(QueueControl c) {
        synchronized (this) {
            if (closed) {
                return;
            }
            pending.addLast(c);
            posted++;
            if (draining) {
                return; // a drain or a retry is on its way
            }
            draining = true;
        }
        schedule(0);
    }

    /**
     * Sends everything queued so far, on the calling thread if no other thread is sending, and waits up to
     * {@code max} for it to have gone out (before a LEAVE, so the other members see the ACKs first).
     *
     * @return whether everything queued before the call went out in time
     */
    boolean flush(Duration max) {
        long target;
        boolean here;
        synchronized (this) {
            target = posted;
            here = !draining && !pending.isEmpty();
            if (here) {
                draining = true;
            }
        }
        if (here) {
            drain();
        }
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (this) {
            try {
                while (sent < target && !closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return sent >= target;
        }
    }

    /** Stops sending: what is still queued is dropped (the member is leaving the group). */
    void close() {
        synchronized (this) {
            closed = true;
            pending.clear();
            notifyAll();
        }
    }

    /** Control messages queued and not yet sent. */
    synchronized int backlog() {
        return pending.size();
    }

    private void drain() {
        while (true) {
            QueueControl c;
            synchronized (this) {
                c = pending.peekFirst();
                if (c == null || closed) {
                    draining = false;
                    notifyAll();
                    return;
                }
            }
            try {
                provider.send(List.of(group), ServiceType.AGREED, QueueControlCodec.MESS_TYPE,
                        QueueControlCodec.encode(c));
            } catch (JMSException | RuntimeException e) {
                long delay;
                boolean first;
                synchronized (this) {
                    if (closed) {
                        draining = false;
                        notifyAll();
                        return;
                    }
                    failures++;
                    first = failures == 1;
                    delay = Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(failures - 1, 10));
                }
                if (first) {
                    LOG.warn("could not send a queue {} to {} ({} control messages waiting); retrying until it goes"
                            + " out or this member leaves the group: {}", c.kind(), group, backlog(), e.getMessage());
                }
                schedule(delay);
                return;
            }
            synchronized (this) {
                pending.pollFirst();
                sent++;
                if (failures > 0) {
                    LOG.info("queue control messages to {} go out again after {} failed attempts", group, failures);
                    failures = 0;
                }
                notifyAll();
            }
        }
    }

    private void schedule(long delayMillis) {
        try {
            if (delayMillis == 0) {
                timer.execute(this::drain);
            } else {
                timer.schedule(this::drain, delayMillis, TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException e) {
            // the connection is closing: its members leave every group, the views take care of the rest
            close();
            synchronized (this) {
                draining = false;
            }
        }
    }
}
