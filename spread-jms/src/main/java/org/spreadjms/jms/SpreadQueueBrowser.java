package org.spreadjms.jms;

import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;

import org.spreadjms.jms.destination.SpreadDestination;
import org.spreadjms.jms.message.MessageSelector;
import org.spreadjms.jms.message.SpreadMessage;
import org.spreadjms.jms.queue.QueueAssignment;

/**
 * Browses a queue. A named queue shows the messages its store members keep (paged, {@link StoredQueuePages}), from
 * any connection; without a store member it browses as empty. This connection's private queue and temporary queues
 * show what waits in its mailbox for a consumer.
 */
final class SpreadQueueBrowser implements QueueBrowser {
    private final SpreadSession session;
    private final SpreadDestination queue;
    private final MessageSelector selector;
    private volatile boolean closed;

    SpreadQueueBrowser(SpreadSession session, SpreadDestination queue, MessageSelector selector) {
        this.session = session;
        this.queue = queue;
        this.selector = selector;
    }

    private void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("the browser is closed");
        }
        session.checkOpen();
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        return (Queue) queue;
    }

    @Override
    public String getMessageSelector() throws JMSException {
        checkOpen();
        return selector == null ? null : selector.text();
    }

    @Override
    public Enumeration<?> getEnumeration() throws JMSException {
        checkOpen();
        if (QueueAssignment.isGroupQueue(queue)) {
            return StoredQueuePages.open(session.context(), QueueAssignment.groupOf(queue), queue.toString(),
                    selector);
        }
        List<SpreadMessage> waiting = session.context().consumers().routing().mailboxSnapshot(queue.getName());
        return Collections.enumeration(waiting.stream().filter(m -> selector == null || selector.matches(m))
                .toList());
    }

    @Override
    public void close() {
        closed = true;
    }
}
