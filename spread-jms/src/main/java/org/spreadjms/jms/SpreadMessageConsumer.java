package org.spreadjms.jms;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
import org.spreadjms.jms.message.Expiry;
import org.spreadjms.jms.message.SpreadMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.jms.routing.ConsumerRegistration;
import org.spreadjms.jms.routing.DropCounter;
import org.spreadjms.jms.routing.MessageBuffer;

/**
 * A message consumer. It is live once created: the connection has joined the destination's Spread group and the
 * daemon confirmed it. Messages wait in a buffer (bounded; see {@code consumerBufferMessages}) until received or
 * passed to the listener on the session's thread.
 */
final class SpreadMessageConsumer implements MessageConsumer, QueueReceiver, TopicSubscriber,
        SpreadConsumerStatistics {
    private static final Logger LOG = LoggerFactory.getLogger(SpreadMessageConsumer.class);

    private final SpreadSession session;
    private final SessionContext ctx;
    private final ConsumerRegistration registration;
    private final MessageBuffer buffer = new MessageBuffer();
    private final DropCounter drops;
    private static final long CLOSE_WAIT_SECONDS = 30;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closeDone = new CountDownLatch(1);
    private volatile MessageListener listener;
    private volatile boolean closed;

    SpreadMessageConsumer(SpreadSession session, SessionContext ctx, ConsumerRegistration registration) {
        this.session = session;
        this.ctx = ctx;
        this.registration = registration;
        this.drops = new DropCounter(LOG, "consumer on " + registration.destination());
    }

    /** Messages dropped because the buffer was full. */
    DropCounter drops() {
        return drops;
    }

    @Override
    public long getDroppedMessageCount() {
        return drops.total();
    }

    ConsumerRegistration registration() {
        return registration;
    }

    SpreadDestination destination() {
        return registration.destination();
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

    /**
     * Called by the router with a message this consumer accepts: buffers it now, or when its delivery time comes.
     *
     * @return false when the consumer is closed (the message was not taken)
     */
    boolean offer(SpreadMessage m) {
        if (closed) {
            return false;
        }
        long delay = Expiry.delayLeft(m);
        if (delay > 0) {
            ctx.timer().schedule(() -> session.delivery().enqueue(this, m), delay, TimeUnit.MILLISECONDS);
        } else if (ctx.consumers().onDispatcherThread()) {
            session.delivery().deliverFromDispatcher(this, m);
        } else {
            session.delivery().enqueue(this, m);
        }
        return true;
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
        return registration.selector() == null ? null : registration.selector().text();
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
        if (!closing.compareAndSet(false, true)) {
            // another thread is closing it: return once it is closed (a listener in progress has returned)
            if (SessionDelivery.currentListenerSession() != session.delivery()) {
                try {
                    closeDone.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return;
        }
        try {
            closed = true;
            List<SpreadMessage> buffered = session.delivery().consumerClosed(this);
            if (SessionDelivery.currentListenerSession() != session.delivery()) {
                session.delivery().awaitListenerIdle();
            }
            ctx.consumers().remove(this, buffered);
            session.consumerClosed(this);
        } finally {
            closeDone.countDown();
        }
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        if (registration.destination() instanceof Queue q) {
            return q;
        }
        throw new IllegalStateException("this consumer is on a topic, not a queue");
    }

    @Override
    public Topic getTopic() throws JMSException {
        checkOpen();
        if (registration.destination() instanceof Topic t) {
            return t;
        }
        throw new IllegalStateException("this consumer is on a queue, not a topic");
    }

    @Override
    public boolean getNoLocal() throws JMSException {
        checkOpen();
        return registration.noLocal();
    }

    @Override
    public String toString() {
        return "SpreadMessageConsumer[" + registration.destination() + (registration.selector() != null ? " where "
                + registration.selector().text() : "") + "]";
    }
}
