package org.spreadjms.jms.routing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.spreadjms.jms.message.SpreadMessage;

/**
 * Messages waiting for a consumer (or in a private queue's mailbox), in delivery order: first those put back for
 * redelivery (recover, rollback, a listener that threw), then those that arrived, <b>highest JMSPriority first</b>
 * and in arrival order within a priority (expedited delivery of buffered messages, as brokers do). Only arrivals
 * count against the bounds and only arrivals are dropped to make room (a message already delivered once must come
 * back): the oldest of the lowest priority goes first. Counted by number and by their bytes on the wire
 * ({@link SpreadMessage#wireSize()}). Not thread-safe: the owner locks.
 */
public final class MessageBuffer {
    private static final int PRIORITIES = 10;

    private final ArrayDeque<SpreadMessage> returned = new ArrayDeque<>();
    @SuppressWarnings("unchecked")
    private final ArrayDeque<SpreadMessage>[] arrived = new ArrayDeque[PRIORITIES];
    private int arrivedCount;
    private long arrivedBytes;

    public MessageBuffer() {
        for (int i = 0; i < PRIORITIES; i++) {
            arrived[i] = new ArrayDeque<>();
        }
    }

    /** Messages waiting, returned and arrived. */
    public int size() {
        return returned.size() + arrivedCount;
    }

    /** Bytes of the arrived messages (what the bound applies to). */
    public long bytes() {
        return arrivedBytes;
    }

    public boolean isEmpty() {
        return returned.isEmpty() && arrivedCount == 0;
    }

    /** A message that arrived: after everything waiting of its priority or higher. */
    public void addLast(SpreadMessage m) {
        arrived[priorityOf(m)].addLast(m);
        arrivedCount++;
        arrivedBytes += m.wireSize();
    }

    /** A message put back for redelivery: before everything waiting, outside the bounds. */
    public void addFirst(SpreadMessage m) {
        returned.addFirst(m);
    }

    /** The next message to deliver, or null. */
    public SpreadMessage pollFirst() {
        SpreadMessage m = returned.pollFirst();
        if (m != null) {
            return m;
        }
        for (int p = PRIORITIES - 1; p >= 0; p--) {
            if (!arrived[p].isEmpty()) {
                return taken(arrived[p].pollFirst());
            }
        }
        return null;
    }

    /** Drops the oldest arrival of the lowest priority to make room; null if none is left. */
    public SpreadMessage dropOldestArrival() {
        for (int p = 0; p < PRIORITIES; p++) {
            if (!arrived[p].isEmpty()) {
                return taken(arrived[p].pollFirst());
            }
        }
        return null;
    }

    private SpreadMessage taken(SpreadMessage m) {
        arrivedCount--;
        arrivedBytes -= m.wireSize();
        return m;
    }

    /**
     * Whether an arrival of {@code m} needs room made first: the arrivals waiting would go past {@code maxMessages}
     * or {@code maxBytes}. With no arrivals waiting any message fits, however large.
     */
    public boolean full(SpreadMessage m, int maxMessages, long maxBytes) {
        return arrivedCount > 0 && (arrivedCount >= maxMessages || arrivedBytes + m.wireSize() > maxBytes);
    }

    /** Empties the buffer and returns what it held, in delivery order. */
    public List<SpreadMessage> drain() {
        List<SpreadMessage> out = snapshot();
        returned.clear();
        for (ArrayDeque<SpreadMessage> q : arrived) {
            q.clear();
        }
        arrivedCount = 0;
        arrivedBytes = 0;
        return out;
    }

    /** What the buffer holds, in delivery order (the messages themselves). */
    public List<SpreadMessage> snapshot() {
        List<SpreadMessage> out = new ArrayList<>(size());
        out.addAll(returned);
        for (int p = PRIORITIES - 1; p >= 0; p--) {
            out.addAll(arrived[p]);
        }
        return out;
    }

    private static int priorityOf(SpreadMessage m) {
        int p = m.getJMSPriority();
        return p < 0 ? 0 : Math.min(p, PRIORITIES - 1);
    }
}
