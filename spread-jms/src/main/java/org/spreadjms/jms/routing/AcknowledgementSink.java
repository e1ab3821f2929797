package org.spreadjms.jms.routing;

import org.spreadjms.jms.message.SpreadMessage;

/**
 * Where sessions report what became of messages of named queues and shared subscriptions, so the other members of
 * the queue's group learn of it (docs/queue-protocol.md). Messages of other destinations are ignored. Callable from
 * any thread, also under a session's lock: nothing is sent on the caller's thread.
 */
public interface AcknowledgementSink {
    /** Consumer {@code c} consumed {@code m}: the members forget it. */
    void acknowledged(ConsumerRegistration c, SpreadMessage m);

    /** Consumer {@code c} took {@code m} but will not deliver it: the members reassign it. */
    void declined(ConsumerRegistration c, SpreadMessage m);
}
