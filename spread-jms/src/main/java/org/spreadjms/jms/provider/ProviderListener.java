package org.spreadjms.jms.provider;

import jakarta.jms.JMSException;

import org.spreadjms.client.DataMessage;
import org.spreadjms.client.MembershipMessage;

/**
 * Events of a {@link Provider}. Called on one provider thread, in delivery order; implementations must not block for
 * long (hand messages to sessions and return).
 */
public interface ProviderListener {
    void onMessage(DataMessage message);

    void onMembership(MembershipMessage message);

    /** The connection to Spread is gone; called once. */
    void onConnectionLost(JMSException cause);

    /**
     * Something the application should hear of that does not end the connection (a message refused for its size,
     * for one); reported through the connection's ExceptionListener. Must not block.
     */
    default void onProblem(JMSException problem) {
    }

    /**
     * Everything received so far has been delivered and the provider thread is about to wait for more (and once
     * before {@link #onConnectionLost}). Only providers whose {@link Provider#reportsIdle()} is true call it. Must not
     * block.
     */
    default void onIdle() {
    }
}
