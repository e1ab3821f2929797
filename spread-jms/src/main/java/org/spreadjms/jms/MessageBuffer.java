package org.spreadjms.jms;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.spreadjms.jms.message.SpreadMessage;

/**
 * Messages waiting for a consumer (or in a private queue's mailbox), in order, with their count and their bytes on
 * the wire ({@link SpreadMessage#wireSize()}) kept, so that both can be bounded. Not thread-safe: the owner locks.
 */
final class MessageBuffer {
    private final ArrayDeque<SpreadMessage> messages = new ArrayDeque<>();
    private long bytes;

    int size() {
        return messages.size();
    }

    long bytes() {
        return bytes;
    }

    boolean isEmpty() {
        return messages.isEmpty();
    }

    void addLast(SpreadMessage m) {
        messages.addLast(m);
        bytes += m.wireSize();
    }

    /** Puts a message back in front (a redelivery): it does not count against the bound. */
    void addFirst(SpreadMessage m) {
        messages.addFirst(m);
        bytes += m.wireSize();
    }

    SpreadMessage pollFirst() {
        SpreadMessage m = messages.pollFirst();
        if (m != null) {
            bytes -= m.wireSize();
        }
        return m;
    }

    /**
     * Whether adding {@code m} would go past {@code maxMessages} or {@code maxBytes}. An empty buffer always takes a
     * message, however large: otherwise a message above the byte bound could never be delivered.
     */
    boolean full(SpreadMessage m, int maxMessages, long maxBytes) {
        return !messages.isEmpty() && (messages.size() >= maxMessages || bytes + m.wireSize() > maxBytes);
    }

    /** Empties the buffer and returns what it held, in order. */
    List<SpreadMessage> drain() {
        List<SpreadMessage> out = new ArrayList<>(messages);
        messages.clear();
        bytes = 0;
        return out;
    }

    /** What the buffer holds, in order (the messages themselves). */
    List<SpreadMessage> snapshot() {
        return new ArrayList<>(messages);
    }
}
