package org.spreadjms.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;

/** What a message listener received, in order; the test thread waits on it with deadlines. */
final class ListenerInbox {
    /** A message as a subscriber received it. */
    record Received(String text, boolean redelivered) {
    }

    private final List<Received> received = new ArrayList<>();
    private long lastArrival = System.nanoTime();

    synchronized void add(Message m) {
        try {
            received.add(new Received(((TextMessage) m).getText(), m.getJMSRedelivered()));
        } catch (JMSException e) {
            received.add(new Received("[unreadable: " + e + "]", false));
        }
        lastArrival = System.nanoTime();
        notifyAll();
    }

    synchronized int size() {
        return received.size();
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** The texts received so far, in order. */
    synchronized List<String> texts() {
        return received.stream().map(Received::text).toList();
    }

    /** Waits until {@code n} messages were received; false if {@code max} passed first. */
    synchronized boolean awaitCount(int n, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (received.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Waits until every text of {@code expected} was received; false if {@code max} passed first. */
    synchronized boolean awaitAll(List<String> expected, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        Set<String> missing = new HashSet<>(expected);
        int seen = 0;
        while (true) {
            for (; seen < received.size(); seen++) {
                missing.remove(received.get(seen).text());
            }
            long left = deadline - System.nanoTime();
            if (missing.isEmpty() || left <= 0) {
                return missing.isEmpty();
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Waits until nothing arrived for {@code quiet}; fails if messages keep coming for {@code max}. */
    synchronized void awaitQuiet(Duration quiet, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            long quietUntil = lastArrival + quiet.toNanos();
            long now = System.nanoTime();
            assertTrue(now < deadline, "messages keep coming: " + received.size());
            if (now >= quietUntil) {
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, quietUntil - now);
        }
    }
}
