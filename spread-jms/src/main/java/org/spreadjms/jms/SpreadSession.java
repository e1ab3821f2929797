package org.spreadjms.jms;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSender;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.jms.message.MessageSelector;
import org.spreadjms.jms.message.SpreadBytesMessage;
import org.spreadjms.jms.message.SpreadMapMessage;
import org.spreadjms.jms.message.SpreadObjectMessage;
import org.spreadjms.jms.message.SpreadStreamMessage;
import org.spreadjms.jms.message.SpreadTextMessage;

/**
 * A JMS session. Durable subscriptions are kept by store members (spread store): without one, creating one fails
 * with a clear JMSException after {@code storeTimeout}.
 *
 * <p>The session checks the JMS rules of each call and hands the work on: sends and commits to {@link SessionSends},
 * consumer creation to {@link SessionConsumers}, delivery, acknowledgement and the listener thread to
 * {@link SessionDelivery}.
 */
public final class SpreadSession implements Session, QueueSession, TopicSession {
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Logger LOG = LoggerFactory.getLogger(SpreadSession.class);

    private final SessionContext ctx;
    private final int mode;
    private final int id = IDS.incrementAndGet();
    private final SessionDelivery delivery;
    private final SessionConsumers consumers;
    private final List<SpreadMessageProducer> producers = new CopyOnWriteArrayList<>();
    private final SessionSends sends;
    private final ExecutorService completions;
    private final CloseOnce closer = new CloseOnce(this, LOG);
    private volatile boolean closed;

    SpreadSession(SessionContext ctx, int mode) {
        this.ctx = ctx;
        this.mode = mode;
        this.delivery = new SessionDelivery(ctx, mode, id, this::acknowledgeFromMessage);
        this.consumers = new SessionConsumers(this, ctx);
        this.sends = new SessionSends(ctx, mode, delivery);
        this.completions = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "spread-jms-completion-" + id);
            t.setDaemon(true);
            return t;
        });
    }

    SessionContext context() {
        return ctx;
    }

    SessionDelivery delivery() {
        return delivery;
    }

    int id() {
        return id;
    }

    int mode() {
        return mode;
    }

    ExecutorService completions() {
        return completions;
    }

    void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("the session is closed");
        }
        ctx.state().checkOpen("connection");
    }

    // ---- messages

    @Override
    public BytesMessage createBytesMessage() throws JMSException {
        checkOpen();
        return new SpreadBytesMessage();
    }

    @Override
    public MapMessage createMapMessage() throws JMSException {
        checkOpen();
        return new SpreadMapMessage();
    }

    @Override
    public Message createMessage() throws JMSException {
        checkOpen();
        return new org.spreadjms.jms.message.SpreadPlainMessage();
    }

    @Override
    public ObjectMessage createObjectMessage() throws JMSException {
        checkOpen();
        return new SpreadObjectMessage(ctx.consumers().routing().objectFilter());
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) throws JMSException {
        ObjectMessage m = createObjectMessage();
        m.setObject(object);
        return m;
    }

    @Override
    public StreamMessage createStreamMessage() throws JMSException {
        checkOpen();
        return new SpreadStreamMessage();
    }

    @Override
    public TextMessage createTextMessage() throws JMSException {
        checkOpen();
        return new SpreadTextMessage();
    }

    @Override
    public TextMessage createTextMessage(String text) throws JMSException {
        TextMessage m = createTextMessage();
        m.setText(text);
        return m;
    }

    // ---- transactions and acknowledgement

    @Override
    public boolean getTransacted() throws JMSException {
        checkOpen();
        return mode == SESSION_TRANSACTED;
    }

    @Override
    public int getAcknowledgeMode() throws JMSException {
        checkOpen();
        return mode;
    }

    /** Sends a message now, or holds it until commit in a transacted session. */
    void send(PendingSend s) throws JMSException {
        checkOpen();
        sends.send(s);
    }

    @Override
    public void commit() throws JMSException {
        checkOpen();
        CompletionCallbacks.checkNotInCompletionOf(this, "commit");
        if (mode != SESSION_TRANSACTED) {
            throw new IllegalStateException("commit() needs a transacted session (this one is " + modeName() + ")");
        }
        sends.commit();
    }

    @Override
    public void rollback() throws JMSException {
        checkOpen();
        CompletionCallbacks.checkNotInCompletionOf(this, "rollback");
        if (mode != SESSION_TRANSACTED) {
            throw new IllegalStateException("rollback() needs a transacted session (this one is " + modeName() + ")");
        }
        sends.discard();
        delivery.acknowledgements().redeliverUnacknowledged();
    }

    @Override
    public void recover() throws JMSException {
        checkOpen();
        if (mode == SESSION_TRANSACTED) {
            throw new IllegalStateException("recover() is not allowed in a transacted session; use rollback()");
        }
        delivery.acknowledgements().redeliverUnacknowledged();
    }

    /** Message.acknowledge(): in CLIENT_ACKNOWLEDGE mode acknowledges every message the session delivered. */
    void acknowledgeFromMessage() throws JMSException {
        if (closed) {
            throw new IllegalStateException("acknowledge() on a message of a closed session");
        }
        ctx.state().checkOpen("connection");
        if (mode == CLIENT_ACKNOWLEDGE) {
            delivery.acknowledgements().acknowledgeAll();
        }
    }

    private String modeName() {
        return switch (mode) {
            case AUTO_ACKNOWLEDGE -> "AUTO_ACKNOWLEDGE";
            case CLIENT_ACKNOWLEDGE -> "CLIENT_ACKNOWLEDGE";
            case DUPS_OK_ACKNOWLEDGE -> "DUPS_OK_ACKNOWLEDGE";
            default -> "SESSION_TRANSACTED";
        };
    }

    // ---- life cycle

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        if (SessionDelivery.currentListenerSession() == delivery) {
            throw new IllegalStateException("a message listener must not close its own session");
        }
        CompletionCallbacks.checkNotInCompletionOf(this, "close");
        closer.close(this::closeOnce); // a second closer returns once the first one's close has finished
    }

    private void closeOnce() throws JMSException {
        delivery.awaitListenerIdle();
        closed = true;
        delivery.acknowledgements().releaseUnacknowledged(); // while the consumers still hold their queue groups
        consumers.closeAll();
        for (SpreadMessageProducer p : producers) {
            p.close();
        }
        sends.discard();
        delivery.close();
        completions.shutdown();
        try {
            completions.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ctx.sessionClosed().accept(this);
    }

    boolean isClosed() {
        return closed;
    }

    void wake() {
        delivery.wake();
    }

    void awaitListenerIdle() {
        delivery.awaitListenerIdle();
    }

    /** Throws IllegalStateException when called from a listener of a session of {@code connection}. */
    static void checkNotInListenerOf(Object connection, String operation) throws IllegalStateException {
        SessionDelivery d = SessionDelivery.currentListenerSession();
        if (d != null && d.owner() == connection) {
            throw new IllegalStateException("a message listener must not call " + operation + "() on its own"
                    + " connection");
        }
    }

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        return null;
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        checkOpen();
        throw SpreadJmsConnection.notSupported("session-level message listeners (application-server facility)");
    }

    @Override
    public void run() {
        throw new UnsupportedOperationException("session-level message listeners are not supported");
    }

    // ---- producers, consumers, browsers

    @Override
    public MessageProducer createProducer(Destination destination) throws JMSException {
        checkOpen();
        SpreadMessageProducer p = new SpreadMessageProducer(this, destination == null ? null
                : Destinations.resolve(destination));
        producers.add(p);
        return p;
    }

    void producerClosed(SpreadMessageProducer p) {
        producers.remove(p);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination) throws JMSException {
        return createConsumer(destination, null, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector) throws JMSException {
        return createConsumer(destination, messageSelector, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal)
            throws JMSException {
        return createConsumer(destination, messageSelector, noLocal, null);
    }

    private SpreadMessageConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal,
                                                 String sharedName) throws JMSException {
        checkOpen();
        return consumers.create(destination, messageSelector, noLocal, sharedName);
    }

    void consumerClosed(SpreadMessageConsumer c) {
        consumers.closed(c);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) throws JMSException {
        return createSharedConsumer(topic, sharedSubscriptionName, null);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector)
            throws JMSException {
        checkOpen();
        if (sharedSubscriptionName == null || sharedSubscriptionName.isEmpty()) {
            throw new jakarta.jms.JMSException("a shared subscription needs a name");
        }
        if (topic == null) {
            throw new InvalidDestinationException("a shared consumer needs a topic (got null)");
        }
        return createConsumer(topic, messageSelector, false, sharedSubscriptionName);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
        return createDurableSubscriber(topic, name, null, false);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name, String messageSelector, boolean noLocal)
            throws JMSException {
        return durable(topic, name, messageSelector, noLocal, false);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
        return createDurableConsumer(topic, name, null, false);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal)
            throws JMSException {
        return durable(topic, name, messageSelector, noLocal, false);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
        return createSharedDurableConsumer(topic, name, null);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector)
            throws JMSException {
        return durable(topic, name, messageSelector, false, true);
    }

    private SpreadMessageConsumer durable(Topic topic, String name, String messageSelector, boolean noLocal,
                                          boolean shared) throws JMSException {
        checkOpen();
        return consumers.durable(topic, name, messageSelector, noLocal, shared);
    }

    @Override
    public void unsubscribe(String name) throws JMSException {
        checkOpen();
        new DurableSubscribing(ctx).unsubscribe(name);
    }

    @Override
    public Queue createQueue(String queueName) throws JMSException {
        checkOpen();
        return Destinations.queue(queueName);
    }

    @Override
    public Topic createTopic(String topicName) throws JMSException {
        checkOpen();
        return Destinations.topic(topicName);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws JMSException {
        return createBrowser(queue, null);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) throws JMSException {
        checkOpen();
        if (queue == null) {
            throw new InvalidDestinationException("a browser needs a queue (got null)");
        }
        return new SpreadQueueBrowser(this, Destinations.resolve(queue), MessageSelector.parse(messageSelector));
    }

    @Override
    public TemporaryQueue createTemporaryQueue() throws JMSException {
        checkOpen();
        return ctx.temporaries().createQueue();
    }

    @Override
    public TemporaryTopic createTemporaryTopic() throws JMSException {
        checkOpen();
        return ctx.temporaries().createTopic();
    }

    @Override
    public QueueReceiver createReceiver(Queue queue) throws JMSException {
        return (QueueReceiver) createConsumer(queue);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue, String messageSelector) throws JMSException {
        return (QueueReceiver) createConsumer(queue, messageSelector);
    }

    @Override
    public QueueSender createSender(Queue queue) throws JMSException {
        return (QueueSender) createProducer(queue);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic) throws JMSException {
        return (TopicSubscriber) createConsumer(topic);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic, String messageSelector, boolean noLocal)
            throws JMSException {
        return (TopicSubscriber) createConsumer(topic, messageSelector, noLocal);
    }

    @Override
    public TopicPublisher createPublisher(Topic topic) throws JMSException {
        return (TopicPublisher) createProducer(topic);
    }

    @Override
    public String toString() {
        return "SpreadSession[" + id + ", " + modeName() + "]";
    }
}
