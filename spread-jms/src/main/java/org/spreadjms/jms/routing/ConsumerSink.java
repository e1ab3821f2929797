package org.spreadjms.jms.routing;

import org.spreadjms.jms.message.SpreadMessage;

/**
 * Where the router hands messages: the connection's table of live consumers, by id. Called on the provider's
 * dispatcher thread (and on the timer thread for delayed deliveries); must not block.
 */
@FunctionalInterface
public interface ConsumerSink {
    /**
     * Gives {@code m} to consumer {@code consumerId}.
     *
     * @return false when that consumer no longer exists (closed meanwhile): the caller treats it as not taken
     */
    boolean deliver(long consumerId, SpreadMessage m);

    /**
     * The dispatcher thread is about to wait for more messages, or has routed a run of them: consumers it handed
     * messages to without waking their sessions are woken now (see {@link ConsumerRouting#defersWakeups()}).
     */
    default void dispatcherIdle() {
    }
}
