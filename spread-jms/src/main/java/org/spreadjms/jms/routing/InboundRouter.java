package org.spreadjms.jms.routing;

import java.util.function.Consumer;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.MembershipMessage;
import org.spreadjms.jms.destination.DestinationNames;
import org.spreadjms.jms.destination.SpreadDestination;
import org.spreadjms.jms.destination.SpreadQueue;
import org.spreadjms.jms.destination.SpreadTopic;
import org.spreadjms.jms.message.MessageCopies;
import org.spreadjms.jms.message.MessageEnvelope;
import org.spreadjms.jms.message.ObjectMessageFilter;
import org.spreadjms.jms.message.SpreadMessage;
import org.spreadjms.jms.provider.Provider;
import org.spreadjms.jms.provider.ProviderListener;
import org.spreadjms.jms.queue.DurableSubscriptions;
import org.spreadjms.jms.queue.QueueAssignment;
import org.spreadjms.jms.queue.QueueControlCodec;
import org.spreadjms.jms.queue.QueueProtocol;
import org.spreadjms.jms.queue.QueueProtocols;
import org.spreadjms.jms.queue.SharedSubscriptions;
import org.spreadjms.jms.store.StoreControlCodec;
import org.spreadjms.jms.store.StoreReceipts;

/**
 * Routes what the Spread connection delivers to the consumers of a JMS connection.
 *
 * <ul>
 *   <li>A topic message goes to every subscriber of that topic (each its own copy), and to the queue protocol of
 *       each of the topic's shared subscriptions.</li>
 *   <li>A message to this connection's private group goes to one consumer of the addressed queue: the private queue
 *       {@code #name#daemon} itself, or a temporary queue {@code #name#daemon/sub}; without one it waits in that
 *       queue's mailbox.</li>
 *   <li>A message to a named queue's group goes to that group's {@link QueueProtocol}: one member takes it.</li>
 *   <li>Queue control messages go to the queue protocols; membership messages to them and to advisories.</li>
 *   <li>Store frames (STORED, from store members to this connection's private group) go to the
 *       {@link StoreReceipts} of the sends waiting for them.</li>
 * </ul>
 * Every method runs on the provider's dispatcher thread: it decodes and hands over, never blocks and never sends.
 * The one exception is opt-in: with {@code alwaysSessionAsync=false} the hand-over may run a lone session's
 * MessageListener right here, and that application code may send or block.
 */
public final class InboundRouter implements ProviderListener {
    private static final Logger LOG = LoggerFactory.getLogger(InboundRouter.class);
    /**
     * Bounds how long a session given a message without a wake-up waits for it: after this many messages routed the
     * sessions are woken even if the provider has more to deliver.
     */
    public static final int WAKE_EVERY = 16;

    private final Provider provider;
    private final ObjectMessageFilter objectFilter;
    private final boolean rawAsText;
    private final ConsumerTable consumers;
    private final GroupMemberships memberships;
    private final Mailboxes mailboxes;
    private final QueueProtocols queues;
    private final Advisories advisories;
    private final StoreReceipts storeReceipts;
    private final StorePresence storePresence;
    private final Consumer<JMSException> connectionLost;
    private final Consumer<JMSException> problems;
    /**
     * The provider's dispatcher thread, as last seen routing. Deliberately not volatile (a write per message): a
     * thread only compares it with itself, and only the dispatcher thread ever wrote its own value here.
     */
    private Thread dispatcher;
    /** Messages routed since the sessions were last woken ({@link #onIdle}); the dispatcher thread's only. */
    private int sinceIdle;

    InboundRouter(Provider provider, ObjectMessageFilter objectFilter, boolean rawAsText, ConsumerTable consumers,
                  GroupMemberships memberships, Mailboxes mailboxes, QueueProtocols queues, Advisories advisories,
                  StoreReceipts storeReceipts, StorePresence storePresence, Consumer<JMSException> connectionLost,
                  Consumer<JMSException> problems) {
        this.provider = provider;
        this.objectFilter = objectFilter;
        this.rawAsText = rawAsText;
        this.consumers = consumers;
        this.memberships = memberships;
        this.mailboxes = mailboxes;
        this.queues = queues;
        this.advisories = advisories;
        this.storeReceipts = storeReceipts;
        this.storePresence = storePresence;
        this.connectionLost = connectionLost;
        this.problems = problems;
    }

    /** Whether the calling thread is the provider's dispatcher thread, routing a message. */
    boolean onDispatcherThread() {
        return dispatcher == Thread.currentThread();
    }

    @Override
    public void onMessage(DataMessage dm) {
        dispatcher = Thread.currentThread();
        try {
            route(dm);
        } finally {
            routedSinceIdle();
        }
    }

    private void routedSinceIdle() {
        if (++sinceIdle >= WAKE_EVERY) {
            onIdle();
        }
    }

    @Override
    public void onIdle() {
        sinceIdle = 0;
        consumers.dispatcherIdle();
    }

    private void route(DataMessage dm) {
        if (dm.messType() == QueueControlCodec.MESS_TYPE) {
            queues.onControl(dm);
            return;
        }
        if (dm.messType() == StoreControlCodec.MESS_TYPE) {
            // STORED acknowledgements for this connection's PERSISTENT sends; other store frames are not ours
            if (dm.groups().contains(provider.privateGroup())) {
                storeReceipts.onFrame(dm.sender(), dm.data());
            }
            return;
        }
        boolean enveloped = dm.messType() == MessageEnvelope.MESS_TYPE;
        SpreadMessage m;
        String target = null;
        try {
            if (enveloped) {
                MessageEnvelope.Envelope env = MessageEnvelope.decode(dm.data(), objectFilter);
                m = env.message();
                target = env.target();
            } else {
                m = MessageEnvelope.fromRaw(dm.data(), rawAsText);
            }
        } catch (JMSException | RuntimeException e) {
            LOG.warn("dropped a message from {} to {} that is not a readable JMS envelope: {}", dm.sender(),
                    dm.groups(), e.getMessage());
            return;
        }
        m.setSpreadSender(dm.sender());
        m.setWireSize(dm.data().length);
        m.setSpreadMessType(dm.messType());
        String me = provider.privateGroup();
        if (dm.groups().contains(me)) {
            String queue = target != null && !target.isEmpty() ? me + "/" + target : me;
            if (!enveloped) {
                setDestination(m, known(false, me));
            }
            deliverToPrivateQueue(queue, m);
        }
        for (String g : dm.groups()) {
            if (g.equals(me) || !memberships.isMember(g)) {
                continue;
            }
            if (enveloped) {
                routeEnveloped(g, m, me);
            } else {
                routeRaw(g, m, me);
            }
        }
    }

    private void routeEnveloped(String group, SpreadMessage m, String me) {
        Destination dest = m.getJMSDestination();
        if (!(dest instanceof SpreadDestination d)) {
            return;
        }
        switch (d.kind()) {
            case TOPIC, TEMPORARY_TOPIC -> {
                if (d.spreadGroup().equals(group)) {
                    deliverToTopic(d.getName(), m, me);
                } else if (DurableSubscriptions.isGroup(group)) {
                    // a store member forwarding a durable subscription's message: one of its consumers takes it
                    QueueProtocol p = queues.get(group);
                    if (p != null) {
                        p.onMessage(m);
                    }
                }
            }
            case QUEUE -> {
                if (QueueAssignment.isGroupQueue(d) && QueueAssignment.groupOf(d).equals(group)) {
                    QueueProtocol p = queues.get(group);
                    if (p != null) {
                        p.onMessage(m);
                    }
                }
            }
            default -> {
            }
        }
    }

    /** A message from a plain Spread program: to the subscribers of every topic that maps to its group. */
    private void routeRaw(String group, SpreadMessage m, String me) {
        for (String topic : consumers.topics()) {
            if (topicGroup(topic).equals(group)) {
                SpreadMessage copy = m.copy();
                setDestination(copy, known(true, topic));
                copy.setReadOnly(true, true);
                deliverToTopic(topic, copy, me);
            }
        }
    }

    private void deliverToTopic(String topic, SpreadMessage m, String me) {
        for (String name : consumers.sharedSubscriptions(topic)) {
            QueueProtocol p = queues.get(SharedSubscriptions.groupOf(topic, name));
            if (p != null) {
                p.onMessage(MessageCopies.readOnly(m)); // its own instance: subscribers may change theirs
            }
        }
        consumers.deliverToSubscribers(topic, m, me);
    }

    /** A message to the private queue or a temporary queue: to a consumer, else into the mailbox. */
    void deliverToPrivateQueue(String queue, SpreadMessage m) {
        String me = provider.privateGroup();
        if (consumers.deliverToOne(queue, m, me)) {
            return;
        }
        mailboxes.put(queue, m);
        // a consumer registered since the attempt above may have drained the mailbox before the put: look again
        // (the consumer's side does the same after registering), so nothing waits for a consumer that exists
        if (consumers.hasCompeting(queue)) {
            drainMailbox(queue);
        }
    }

    /** Hands what waits in a private queue's mailbox to its consumers; what none accepts goes back. */
    void drainMailbox(String queue) {
        String me = provider.privateGroup();
        for (SpreadMessage waiting : mailboxes.take(queue)) {
            if (!consumers.deliverToOne(queue, waiting, me)) {
                mailboxes.put(queue, waiting);
            }
        }
    }

    @Override
    public void onMembership(MembershipMessage mm) {
        try {
            if (mm.isRegular()) {
                queues.onView(mm.view());
                storePresence.onView(mm.view());
            }
            advisories.publish(mm);
        } finally {
            routedSinceIdle();
        }
    }

    @Override
    public void onConnectionLost(JMSException cause) {
        consumers.dispatcherIdle();
        connectionLost.accept(cause);
    }

    @Override
    public void onProblem(JMSException problem) {
        problems.accept(problem);
    }

    private static void setDestination(SpreadMessage m, Destination d) {
        try {
            m.setJMSDestination(d);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A destination object for a name this connection already uses, so it cannot be invalid. */
    private static SpreadDestination known(boolean topic, String name) {
        try {
            return topic ? new SpreadTopic(name) : new SpreadQueue(name);
        } catch (JMSException e) {
            throw new IllegalStateException("destination '" + name + "' became invalid", e);
        }
    }

    private static String topicGroup(String topic) {
        try {
            return DestinationNames.groupFor(topic);
        } catch (JMSException e) {
            throw new IllegalStateException("topic '" + topic + "' became invalid", e);
        }
    }
}
