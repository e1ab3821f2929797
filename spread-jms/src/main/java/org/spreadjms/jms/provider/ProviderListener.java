package org.spreadjms.jms.provider;

import jakarta.jms.JMSException;

import org.spreadjms.client.DataMessage;
import org.spreadjms.client.MembershipMessage;

/**
 * Events of a {@link Provider}. {@link #onMessage} and {@link #onMembership} are called on one provider thread (the
 * Spread connection's reader thread), in delivery order: implementations must not block and must not send (hand
 * work to other threads). {@link #onConnectionLost} is called once, on a thread of its own.
 */
public interface ProviderListener {
    void onMessage(DataMessage message);

    void onMembership(MembershipMessage message);

    /** The connection to Spread is gone; called once. */
    void onConnectionLost(JMSException cause);
}
