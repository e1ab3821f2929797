package org.spreadjms.jms;

import java.util.concurrent.TimeUnit;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.QueueReceiver;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;

import org.spreadjms.jms.destination.SpreadDestination;
import org.spreadjms.jms.message.SpreadMessage;

/**
 * A message consumer. It is live once created: the connection has joined the destination's Spread group and the
 * daemon confirmed it. Messages wait in a buffer (bounded; see {@code consumerBufferMessages}) until received or
 * passed to the listener on the session's thread.
 */
final class SpreadMessageConsumer implements MessageConsumer, QueueReceiver, TopicSubscriber {
    private final SpreadSession session;
    private final SpreadDestination destination;
    private final MessageSelector selector;
    private final boolean noLocal;
    private final String sharedName;
    private final MessageBuffer buffer = new MessageBuffer();
    private volatile MessageListener listener;
    private volatile boolean closed;

    SpreadMessageConsumer(SpreadSession session, SpreadDestination destination, MessageSelector selector,
                          boolean noLocal, String sharedName) {
        this.session = session;
        this.destination = destination;
        this.selector = selector;
        this.noLocal = noLocal;
        this.sharedName = sharedName;
    }

    SpreadDestination destination() {
        return destination;
    }

    String sharedName() {
        return sharedName;
    }

    /** Guarded by the session's delivery lock. */
    MessageBuffer buffer() {
        return buffer;
    }

    MessageListener listener() {
        return listener;
    }

    boolean isClosedUnlocked() {
        return closed;
    }

    /** Whether this consumer wants {@code m} (noLocal, selector, expiry). */
    boolean accepts(SpreadMessage m) {
        if (closed) {
            return false;
        }
        if (noLocal && session.connection().isLocalSender(m.getSpreadSender())) {
            return false;
        }
        if (Expiry.expired(m)) {
            return false;
        }
        return selector == null || selector.matches(m);
    }

    /** Called by the router: buffers the message now, or when its delivery time comes. */
    void offer(SpreadMessage m) {
        if (!accepts(m)) {
            return;
        }
        long delay = Expiry.delayLeft(m);
        if (delay > 0) {
            session.connection().timer().schedule(() -> session.delivery().enqueue(this, m), delay,
                    TimeUnit.MILLISECONDS);
        } else {
            MessageRouter router = session.connection().routerIfConnected();
            if (router != null && router.onDispatcherThread()) {
                session.delivery().deliverFromDispatcher(this, m);
            } else {
                session.delivery().enqueue(this, m);
            }
        }
    }

    /** Gives back a message the application could not take (JMSConsumer.receiveBody of the wrong type). */
    void returnUnconsumed(SpreadMessage m) {
        session.delivery().returnUnconsumed(this, m);
    }

    private void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("the consumer is closed");
        }
        session.checkOpen();
    }

    @Override
    public String getMessageSelector() throws JMSException {
        checkOpen();
        return selector == null ? null : selector.text();
    }

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        return listener;
    }

    @Override
    public void setMessageListener(MessageListener l) throws JMSException {
        checkOpen();
        this.listener = l;
        session.delivery().listenerChanged(this, l);
    }

    @Override
    public Message receive() throws JMSException {
        return receive(-1L);
    }

    @Override
    public Message receive(long timeout) throws JMSException {
        checkReceive();
        long nanos = timeout <= 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(timeout);
        return session.delivery().receive(this, nanos);
    }

    @Override
    public Message receiveNoWait() throws JMSException {
        checkReceive();
        return session.delivery().receive(this, 0);
    }

    private void checkReceive() throws JMSException {
        checkOpen();
        if (listener != null) {
            throw new IllegalStateException("this consumer has a MessageListener; receive() is not allowed");
        }
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        closed = true;
        java.util.List<SpreadMessage> buffered = session.delivery().consumerClosed(this);
        if (SessionDelivery.currentListenerSession() != session.delivery()) {
            session.delivery().awaitListenerIdle();
        }
        MessageRouter router = session.connection().routerIfConnected();
        router.removeConsumer(this);
        router.requeue(this, buffered);
        session.consumerClosed(this);
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        if (destination instanceof Queue q) {
            return q;
        }
        throw new IllegalStateException("this consumer is on a topic, not a queue");
    }

    @Override
    public Topic getTopic() throws JMSException {
        checkOpen();
        if (destination instanceof Topic t) {
            return t;
        }
        throw new IllegalStateException("this consumer is on a queue, not a topic");
    }

    @Override
    public boolean getNoLocal() throws JMSException {
        checkOpen();
        return noLocal;
    }

    @Override
    public String toString() {
        return "SpreadMessageConsumer[" + destination + (selector != null ? " where " + selector.text() : "") + "]";
    }
}
