package org.spreadjms.jms.routing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import jakarta.jms.JMSException;
import jakarta.jms.ResourceAllocationException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.jms.message.MessageCopies;
import org.spreadjms.jms.message.SpreadMessage;

/**
 * Mailboxes of the connection's private queue ({@code #name#daemon}) and temporary queues ({@code #name#daemon/sub}):
 * messages that arrived while the queue had no consumer, bounded by count and bytes (the oldest is dropped, with a
 * warning). A QueueBrowser sees a snapshot.
 */
final class Mailboxes {
    private static final Logger LOG = LoggerFactory.getLogger(Mailboxes.class);

    private final int maxMessages;
    private final long maxBytes;
    private final Map<String, MessageBuffer> boxes = new ConcurrentHashMap<>();
    private final Map<String, DropCounter> drops = new ConcurrentHashMap<>();
    private final Consumer<JMSException> problems;

    /** @param problems told once per episode of drops of a mailbox */
    Mailboxes(int maxMessages, long maxBytes, Consumer<JMSException> problems) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.problems = problems;
    }

    /** Keeps {@code m} until {@code queue} has a consumer. */
    void put(String queue, SpreadMessage m) {
        MessageBuffer box = boxes.computeIfAbsent(queue, k -> new MessageBuffer());
        synchronized (box) {
            while (box.full(m, maxMessages, maxBytes)) {
                SpreadMessage dropped = box.dropOldestArrival();
                DropCounter counter = drops.computeIfAbsent(queue, q -> new DropCounter(LOG, "mailbox of queue " + q));
                String id = dropped == null ? null : dropped.getJMSMessageID();
                if (counter.dropped(id, maxMessages + " messages or " + maxBytes + " bytes at most")) {
                    problems.accept(new ResourceAllocationException("the mailbox of queue " + queue + " is full ("
                            + maxMessages + " messages or " + maxBytes + " bytes at most, consumerBufferMessages/"
                            + "consumerBufferBytes): dropping the oldest messages until it has a consumer that keeps"
                            + " up", "SPREADJMS_MAILBOX_FULL"));
                }
            }
            box.addLast(m);
        }
    }

    /** Empties the mailbox of {@code queue}, returning what waited in it, in order. */
    List<SpreadMessage> take(String queue) {
        MessageBuffer box = boxes.get(queue);
        if (box == null) {
            return List.of();
        }
        DropCounter counter = drops.get(queue);
        if (counter != null) {
            counter.caughtUp();
        }
        synchronized (box) {
            return box.drain();
        }
    }

    /** Read-only copies of what waits in the mailbox of {@code queue}. */
    List<SpreadMessage> snapshot(String queue) {
        MessageBuffer box = boxes.get(queue);
        if (box == null) {
            return List.of();
        }
        synchronized (box) {
            return box.snapshot().stream().map(MessageCopies::readOnly).toList();
        }
    }

    void drop(String queue) {
        boxes.remove(queue);
        drops.remove(queue);
    }
}
