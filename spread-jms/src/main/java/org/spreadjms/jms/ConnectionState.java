package org.spreadjms.jms;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;

import org.spreadjms.jms.errors.JmsErrors;

/** Started/stopped and open/closed/failed state of a connection, with waiting for "started". */
final class ConnectionState {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean started;
    private boolean closing;
    private boolean closed;
    private JMSException failure;

    void checkOpen(String what) throws IllegalStateException {
        if (closing || closed) {
            throw new IllegalStateException("the " + what + " is closed");
        }
    }

    /** Throws the loss of the Spread connection, if it happened. */
    void checkNotFailed() throws JMSException {
        JMSException f = failure;
        if (f != null) {
            throw JmsErrors.jms("the connection to the Spread daemon was lost: " + f.getMessage(), f);
        }
    }

    boolean isStarted() {
        return started && !closed;
    }

    boolean isClosed() {
        return closing || closed;
    }

    JMSException failure() {
        return failure;
    }

    void start() {
        lock.lock();
        try {
            started = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void stop() {
        lock.lock();
        try {
            started = false;
        } finally {
            lock.unlock();
        }
    }

    boolean markClosing() {
        lock.lock();
        try {
            if (closing) {
                return false;
            }
            closing = true;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    void markClosed() {
        lock.lock();
        try {
            closed = true;
            started = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void markFailed(JMSException cause) {
        lock.lock();
        try {
            if (failure == null) {
                failure = cause;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until started, closed or failed, at most {@code nanos}; returns the nanos left. */
    long awaitStarted(long nanos) throws InterruptedException {
        lock.lock();
        try {
            long left = nanos;
            while (!started && !closing && failure == null && left > 0) {
                left = changed.awaitNanos(left);
            }
            return left;
        } finally {
            lock.unlock();
        }
    }

    static long toNanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
