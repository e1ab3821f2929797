package org.spreadjms.jms;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.jms.JMSException;

import org.slf4j.Logger;

/**
 * Runs a close exactly once: the first caller runs it on its own thread; a caller that comes while it runs waits until
 * it has finished (as the specification wants of close()), at most {@value #CLOSE_WAIT_SECONDS} s, then returns with
 * a warning. Thread-safe.
 */
final class CloseOnce {
    private static final long CLOSE_WAIT_SECONDS = 30;

    /** The close itself. */
    @FunctionalInterface
    interface Close {
        void run() throws JMSException;
    }

    private final Object owner;
    private final Logger log;
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Counted down when the close that won {@link #closing} has finished; other closers wait for it. */
    private final CountDownLatch closeDone = new CountDownLatch(1);

    /** {@code owner} and {@code log} name what closes in the warning about a close that takes too long. */
    CloseOnce(Object owner, Logger log) {
        this.owner = owner;
        this.log = log;
    }

    /** Runs {@code close} if no thread has yet, else waits for the thread that does. */
    void close(Close close) throws JMSException {
        if (!closing.compareAndSet(false, true)) {
            awaitClose(); // another thread is closing it: return once it is closed
            return;
        }
        try {
            close.run();
        } finally {
            closeDone.countDown();
        }
    }

    private void awaitClose() {
        try {
            if (!closeDone.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                log.warn("{}: another thread's close() has not finished within {} s", owner, CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
