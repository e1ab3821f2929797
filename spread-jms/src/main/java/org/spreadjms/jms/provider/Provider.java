package org.spreadjms.jms.provider;

import java.util.List;

import jakarta.jms.JMSException;

import org.spreadjms.client.ServiceType;

/**
 * What the JMS layer needs from a connection to Spread. The JMS classes talk only to this interface; the Spread client
 * sits behind {@link SpreadProvider}, and reconnection can wrap it as a decorator.
 *
 * <p>Threading: any method may be called from any thread. Events go to the {@link ProviderListener} on one thread
 * of the provider's (the Spread connection's dispatcher thread, never its socket reader), in delivery order; the
 * listener hands messages to sessions and never sends itself (control messages go out from a timer thread).
 */
public interface Provider extends AutoCloseable {
    /** Connects. Events start flowing to the listener afterwards. */
    void start(ProviderListener listener) throws JMSException;

    /** This connection's private group name {@code #name#daemon}: the address of point-to-point messages to it. */
    String privateGroup();

    /**
     * Joins a group and returns once the daemon has confirmed the join, so every message sent to the group after the
     * return is delivered here.
     */
    void join(String group) throws JMSException;

    /** Leaves a group. */
    void leave(String group) throws JMSException;

    /** Multicasts a payload to one or more Spread groups or private groups. */
    default void send(List<String> groups, ServiceType service, short messType, byte[] payload) throws JMSException {
        send(groups, service, messType, payload, payload.length);
    }

    /**
     * Multicasts the first {@code length} bytes of {@code payload} (an encoder's buffer, sent without trimming it
     * first). The provider does not keep the array after the call returns.
     */
    void send(List<String> groups, ServiceType service, short messType, byte[] payload, int length)
            throws JMSException;

    /** Largest payload one Spread message to {@code groups} destinations can carry. */
    int maxPayloadBytes(int groups);

    /**
     * Largest payload that travels as a single Spread message, never split: the most a plain (non-JMS) Spread reader
     * can receive. The same as {@link #maxPayloadBytes} unless a decorator fragments larger payloads.
     */
    default int maxSingleMessageBytes(int groups) {
        return maxPayloadBytes(groups);
    }

    /**
     * Whether the provider is connected now; false while a reconnecting decorator waits for a daemon (then leaves are
     * only recorded and nothing is worth waiting for).
     */
    default boolean isConnected() {
        return true;
    }

    /**
     * Whether this provider calls {@link ProviderListener#onIdle} whenever its thread has delivered everything received
     * and is about to wait: then a listener may wake its own threads once per burst of messages instead of once per
     * message. False by default.
     */
    default boolean reportsIdle() {
        return false;
    }

    /** Version string of the daemon. */
    String daemonVersion();

    @Override
    void close();
}
