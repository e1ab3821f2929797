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
}
