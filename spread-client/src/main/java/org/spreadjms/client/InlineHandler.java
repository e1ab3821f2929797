package org.spreadjms.client;

/**
 * For libraries built on this client (such as the JMS provider), not for applications: receives every message on the
 * connection's <b>reader thread</b>, as soon as it is decoded, instead of the receive queue and listeners. It saves
 * one thread hand-off per message, and the reader never waits for the application.
 *
 * <p>{@link #onMessage} must not block and must not call blocking methods of the connection (multicast, join with a
 * timeout, disconnect): hand work to other threads. {@link #onConnectionLost} runs once on a thread of its own,
 * after every message received before the loss was passed to {@link #onMessage}; it is not called after
 * {@link SpreadConnection#disconnect()}.
 */
public interface InlineHandler {
    void onMessage(ReceivedMessage message);

    void onConnectionLost(SpreadException cause);
}
