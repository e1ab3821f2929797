package org.spreadjms.jms.routing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.spreadjms.jms.message.SpreadMessage;

/**
 * Messages waiting for a consumer (or in a private queue's mailbox), in order: first those put back for redelivery
 * (recover, rollback, a listener that threw), then those that arrived. Only arrivals count against the bounds and
 * only arrivals are dropped to make room (a message already delivered once must come back), counted by number and by
 * their bytes on the wire ({@link SpreadMessage#wireSize()}). Not thread-safe: the owner locks.
 */
public final class MessageBuffer {
    private final ArrayDeque<SpreadMessage> returned = new ArrayDeque<>();
    private final ArrayDeque<SpreadMessage> arrived = new ArrayDeque<>();
    private long arrivedBytes;

    /** Messages waiting, returned and arrived. */
    public int size() {
        return returned.size() + arrived.size();
    }

    /** Bytes of the arrived messages (what the bound applies to). */
    public long bytes() {
        return arrivedBytes;
    }

    public boolean isEmpty() {
        return returned.isEmpty() && arrived.isEmpty();
    }

    /** A message that arrived: after everything waiting. */
    public void addLast(SpreadMessage m) {
        arrived.addLast(m);
        arrivedBytes += m.wireSize();
    }

    /** A message put back for redelivery: before everything waiting, outside the bounds. */
    public void addFirst(SpreadMessage m) {
        returned.addFirst(m);
    }

    /** The next message to deliver, or null. */
    public SpreadMessage pollFirst() {
        SpreadMessage m = returned.pollFirst();
        return m != null ? m : pollArrived();
    }

    /** Drops the oldest arrival to make room; null if none is left. */
    public SpreadMessage dropOldestArrival() {
        return pollArrived();
    }

    private SpreadMessage pollArrived() {
        SpreadMessage m = arrived.pollFirst();
        if (m != null) {
            arrivedBytes -= m.wireSize();
        }
        return m;
    }

    /**
     * Whether an arrival of {@code m} needs room made first: the arrivals waiting would go past {@code maxMessages}
     * or {@code maxBytes}. With no arrivals waiting any message fits, however large.
     */
    public boolean full(SpreadMessage m, int maxMessages, long maxBytes) {
        return !arrived.isEmpty() && (arrived.size() >= maxMessages || arrivedBytes + m.wireSize() > maxBytes);
    }

    /** Empties the buffer and returns what it held, in delivery order. */
    public List<SpreadMessage> drain() {
        List<SpreadMessage> out = snapshot();
        returned.clear();
        arrived.clear();
        arrivedBytes = 0;
        return out;
    }

    /** What the buffer holds, in delivery order (the messages themselves). */
    public List<SpreadMessage> snapshot() {
        List<SpreadMessage> out = new ArrayList<>(size());
        out.addAll(returned);
        out.addAll(arrived);
        return out;
    }
}
