package org.spreadjms.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.JMSException;

/**
 * PERSISTENT sends of {@code m-0}, {@code m-1}, ... on a thread of its own, so that a test can partition the segment
 * or crash a daemon while sends are in flight. The loop sends while the next index is below a limit the test raises
 * step by step ({@link #allow}), so each phase of a test has a known number of sends; it records what returned and
 * what failed, in order. Closing stops it (bounded) and closes the producer's connection.
 */
final class ProducerLoop implements AutoCloseable {
    private final PersistentTopicProducer producer;
    private final Thread thread;
    private final List<String> returned = new ArrayList<>();
    private final List<String> failed = new ArrayList<>();
    private final List<String> attempted = new ArrayList<>();
    private JMSException firstFailure;
    private Throwable crash;
    private int limit;
    private boolean closed;

    ProducerLoop(PersistentTopicProducer producer) {
        this.producer = producer;
        this.thread = new Thread(this::run, "producer-loop");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Lets the loop send until {@code total} messages were attempted. */
    synchronized void allow(int total) {
        limit = Math.max(limit, total);
        notifyAll();
    }

    private void run() {
        try {
            while (true) {
                String text;
                synchronized (this) {
                    while (!closed && attempted.size() >= limit) {
                        wait();
                    }
                    if (closed) {
                        return;
                    }
                    text = "m-" + attempted.size();
                    attempted.add(text);
                }
                boolean ok;
                JMSException failure = null;
                try {
                    producer.producer.send(producer.session.createTextMessage(text));
                    ok = true;
                } catch (JMSException e) {
                    ok = false;
                    failure = e;
                }
                synchronized (this) {
                    (ok ? returned : failed).add(text);
                    if (failure != null && firstFailure == null) {
                        firstFailure = failure;
                    }
                    notifyAll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            synchronized (this) {
                crash = e;
                notifyAll();
            }
        }
    }

    /** Waits until {@code n} sends returned; false if {@code max} passed first (or the loop stopped). */
    synchronized boolean awaitReturned(int n, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (returned.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || crash != null) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Waits until every allowed send has returned or failed; false if {@code max} passed first. */
    synchronized boolean awaitIdle(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (returned.size() + failed.size() < limit) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || crash != null) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    synchronized List<String> returned() {
        return List.copyOf(returned);
    }

    synchronized List<String> failed() {
        return List.copyOf(failed);
    }

    /** Every text the loop tried to send, in order. */
    synchronized List<String> attempted() {
        return List.copyOf(attempted);
    }

    synchronized String describeFailures() {
        return failed.size() + " failed" + (firstFailure == null ? "" : " (first: " + firstFailure.getMessage() + ")")
                + (crash == null ? "" : "; the loop crashed: " + crash);
    }

    @Override
    public void close() throws JMSException, InterruptedException {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            producer.close(); // a send in progress fails at once
        } finally {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }
}
