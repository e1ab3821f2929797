package org.spreadjms.client;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Messages received and not yet taken, bounded in bytes. The reader blocks in {@link #put} while full; takers block
 * in {@link #take} while empty. {@link #close} releases everybody: takers drain what is left, then get the cause.
 */
final class InboundQueue {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<ReceivedMessage> items = new ArrayDeque<>();
    private final long capacityBytes;
    private long bytes;
    private SpreadException closedBy;

    InboundQueue(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    /**
     * Adds a message, waiting while the queue is over its bound and running {@code whileWaiting} every
     * {@code tickNanos}. Returns false if the queue was closed.
     */
    boolean put(ReceivedMessage m, long tickNanos, Runnable whileWaiting) throws InterruptedException {
        lock.lock();
        try {
            while (bytes >= capacityBytes && closedBy == null) {
                if (notFull.awaitNanos(tickNanos) <= 0) {
                    lock.unlock();
                    try {
                        whileWaiting.run();
                    } finally {
                        lock.lock();
                    }
                }
            }
            if (closedBy != null) {
                return false;
            }
            items.addLast(m);
            bytes += m.sizeBytes();
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next message, waiting up to {@code timeoutNanos} (negative: forever).
     *
     * @return the message, or null on timeout
     * @throws SpreadException once closed and drained
     */
    ReceivedMessage take(long timeoutNanos) throws SpreadException, InterruptedException {
        lock.lock();
        try {
            long left = timeoutNanos;
            while (items.isEmpty()) {
                if (closedBy != null) {
                    throw rethrowable(closedBy);
                }
                if (timeoutNanos < 0) {
                    notEmpty.await();
                } else {
                    if (left <= 0) {
                        return null;
                    }
                    left = notEmpty.awaitNanos(left);
                }
            }
            ReceivedMessage m = items.pollFirst();
            bytes -= m.sizeBytes();
            notFull.signal();
            return m;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closedBy != null;
        } finally {
            lock.unlock();
        }
    }

    void close(SpreadException cause) {
        lock.lock();
        try {
            if (closedBy == null) {
                closedBy = cause;
            }
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static SpreadException rethrowable(SpreadException cause) {
        return cause.forCaller();
    }
}
