package org.spreadjms.jms.routing;

import org.spreadjms.jms.message.SpreadMessage;

/**
 * Where sessions report what became of messages of named queues and shared subscriptions, so the other members of
 * the queue's group learn of it (docs/queue-protocol.md). Messages of other destinations are ignored. Callable from
 * any thread; nothing is sent on the caller's thread. {@link #acknowledged} may be called under a session's lock,
 * {@link #declined} must not (the queue protocol holds its own lock while it hands messages to sessions).
 */
public interface AcknowledgementSink {
    /** Consumer {@code c} consumed {@code m}: the members forget it. */
    void acknowledged(ConsumerRegistration c, SpreadMessage m);

    /** Consumer {@code c} took {@code m} but will not deliver it: the members reassign it. */
    void declined(ConsumerRegistration c, SpreadMessage m);

    /**
     * Consumer {@code c} delivered {@code m} and it will never be acknowledged (its session closed): the members
     * reassign it, marked redelivered. Same threading rule as {@link #declined}.
     */
    void released(ConsumerRegistration c, SpreadMessage m);
}
