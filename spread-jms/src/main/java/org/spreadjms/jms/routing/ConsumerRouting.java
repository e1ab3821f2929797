package org.spreadjms.jms.routing;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import jakarta.jms.JMSException;

import org.spreadjms.jms.errors.JmsErrors;
import org.spreadjms.jms.destination.DestinationNames;
import org.spreadjms.jms.destination.SpreadDestination;
import org.spreadjms.jms.message.ObjectMessageFilter;
import org.spreadjms.jms.message.SpreadMessage;
import org.spreadjms.jms.provider.Provider;
import org.spreadjms.jms.provider.ProviderListener;
import org.spreadjms.jms.queue.QueueAssignment;
import org.spreadjms.jms.queue.QueueProtocol;
import org.spreadjms.jms.queue.QueueProtocols;
import org.spreadjms.jms.queue.SharedSubscriptions;
import org.spreadjms.jms.store.StoreReceipts;

/**
 * The routing side of one JMS connection: which consumers exist (by {@link ConsumerRegistration}), which Spread
 * groups that takes, and the queue protocols of its named queues and shared subscriptions. Inbound messages go
 * through {@link #listener()} to a {@link ConsumerSink}.
 *
 * <p>Bookkeeping happens under one short lock; joins, leaves and sends happen after it is released, so two consumers
 * created at once on one connection do not wait for each other's join (unless they share a group).
 */
public final class ConsumerRouting implements AcknowledgementSink {
    /** How long a consumer's close waits for its queue ACKs to go out before its connection leaves the group. */
    private static final Duration ACK_FLUSH = Duration.ofSeconds(2);

    private final Provider provider;
    private final ObjectMessageFilter objectFilter;
    private final Duration joinTimeout;
    private final ConsumerTable table;
    private final GroupMemberships memberships;
    private final Mailboxes mailboxes;
    private final QueueProtocols queues;
    private final Advisories advisories;
    private final InboundRouter inbound;
    private final StoreReceipts storeReceipts = new StoreReceipts();
    private final StorePresence storePresence;
    private final Object lock = new Object();
    /** Queue groups kept after their last local consumer closed, for the messages parked here; guarded by lock. */
    private final Set<String> lingering = new HashSet<>();

    /**
     * @param mailboxMessages bound of each private/temporary queue mailbox, in messages
     * @param mailboxBytes    and in bytes
     * @param connectionLost  told once when the provider loses its connection (dispatcher thread)
     * @param problems        told of trouble that does not end the connection (dropped or refused messages); must
     *                        not block
     */
    public ConsumerRouting(Provider provider, ObjectMessageFilter objectFilter, boolean rawAsText,
                           int mailboxMessages, long mailboxBytes, Duration joinTimeout,
                           ScheduledExecutorService timer, ConsumerSink sink, Consumer<JMSException> connectionLost,
                           Consumer<JMSException> problems) {
        this.provider = provider;
        this.objectFilter = objectFilter;
        this.joinTimeout = joinTimeout;
        this.table = new ConsumerTable(sink);
        this.memberships = new GroupMemberships(provider, joinTimeout);
        this.mailboxes = new Mailboxes(mailboxMessages, mailboxBytes, problems);
        this.queues = new QueueProtocols(provider, timer, QueueProtocols.HELD_MESSAGES);
        this.advisories = new Advisories(sink);
        this.storePresence = new StorePresence(memberships, joinTimeout, storeReceipts);
        this.inbound = new InboundRouter(provider, objectFilter, rawAsText, table, memberships, mailboxes, queues,
                advisories, storeReceipts, storePresence, connectionLost, problems);
    }

    /** What the provider must be started with. */
    public ProviderListener listener() {
        return inbound;
    }

    /** The PERSISTENT sends waiting for store acknowledgements; STORED frames reach them through the router. */
    public StoreReceipts storeReceipts() {
        return storeReceipts;
    }

    /** How many store members run (PERSISTENT sends with storeAcks ask it). */
    public StorePresence storePresence() {
        return storePresence;
    }

    public String privateGroup() {
        return provider.privateGroup();
    }

    public ObjectMessageFilter objectFilter() {
        return objectFilter;
    }

    /** Whether the calling thread is the provider's dispatcher thread, routing a message. */
    public boolean onDispatcherThread() {
        return inbound.onDispatcherThread();
    }

    /**
     * Whether a session given a message on the dispatcher thread may leave its wake-up to {@link
     * ConsumerSink#dispatcherIdle()}: true when the provider reports idle, so that the router calls it before the
     * dispatcher waits and at least every {@link InboundRouter#WAKE_EVERY} messages.
     */
    public boolean defersWakeups() {
        return provider.reportsIdle();
    }

    // ---- consumers

    /**
     * Registers a consumer and, for a group destination, joins the group, returning once the join is confirmed (the
     * consumer is then live). On failure nothing stays registered.
     */
    public void addConsumer(ConsumerRegistration c) throws JMSException {
        SpreadDestination d = c.destination();
        switch (d.kind()) {
            case TOPIC, TEMPORARY_TOPIC -> {
                if (Advisories.isAdvisory(d)) {
                    // joining an internal group would make this connection a queue member that takes nothing
                    DestinationNames.checkNotReserved(Advisories.advised(d), "advised destination");
                    String group = Advisories.groupOf(d);
                    GroupMemberships.Join join;
                    synchronized (lock) {
                        advisories.add(c);
                        join = memberships.reserve(group);
                    }
                    await(join, () -> advisories.remove(c));
                } else if (c.durableGroup() != null) {
                    addCompeting(c, c.durableGroup(), null);
                } else if (c.sharedName() != null) {
                    addCompeting(c, SharedSubscriptions.groupOf(d, c.sharedName()), d.spreadGroup());
                } else {
                    GroupMemberships.Join join;
                    synchronized (lock) {
                        table.addSubscriber(c);
                        join = memberships.reserve(d.spreadGroup());
                    }
                    await(join, () -> table.removeSubscriber(c));
                }
            }
            case QUEUE, TEMPORARY_QUEUE -> {
                if (QueueAssignment.isGroupQueue(d)) {
                    addCompeting(c, QueueAssignment.groupOf(d), null);
                } else {
                    synchronized (lock) {
                        table.addCompeting(c);
                    }
                    inbound.drainMailbox(d.getName());
                }
            }
        }
    }

    /**
     * A consumer of a queue protocol group. For a shared subscription the topic's group ({@code topicGroup}) is joined
     * first: until this connection is in the subscription's view, the other members take every message, so a joining
     * member loses none.
     */
    private void addCompeting(ConsumerRegistration c, String group, String topicGroup) throws JMSException {
        GroupMemberships.Join topicJoin = null;
        GroupMemberships.Join join;
        synchronized (lock) {
            table.addCompeting(c);
            queues.open(group, g -> localDelivery(c.competitionKey()));
            if (topicGroup != null) {
                topicJoin = memberships.reserve(topicGroup);
            }
            join = memberships.reserve(group);
        }
        try {
            if (topicJoin != null) {
                topicJoin.await();
            }
        } catch (JMSException | RuntimeException e) {
            memberships.unreserve(group).run();
            undoCompeting(c, group);
            throw e;
        }
        await(join, () -> {
            if (topicGroup != null) {
                memberships.release(topicGroup);
            }
            undoCompeting(c, group);
        });
        Runnable lingerEnds;
        synchronized (lock) {
            // a lingering membership's own count is no longer needed: this consumer holds the group now
            lingerEnds = lingering.remove(group) ? memberships.unreserve(group) : null;
        }
        run(lingerEnds);
        queues.consumerAdded(group);
    }

    private QueueProtocol.LocalDelivery localDelivery(String key) {
        return m -> table.deliverToOne(key, m, provider.privateGroup());
    }

    private void undoCompeting(ConsumerRegistration c, String group) {
        synchronized (lock) {
            table.removeCompeting(c);
            if (!table.hasCompeting(c.competitionKey())) {
                queues.retire(group);
            }
        }
    }

    private static void await(GroupMemberships.Join join, Runnable undo) throws JMSException {
        try {
            join.await();
        } catch (JMSException | RuntimeException e) {
            undo.run();
            throw e;
        }
    }

    /**
     * Unregisters a consumer and leaves groups no other consumer needs. {@code buffered} are the messages it had
     * buffered and not delivered: a queue's go to another local consumer of the queue, or are declined.
     */
    public void removeConsumer(ConsumerRegistration c, List<SpreadMessage> buffered) {
        SpreadDestination d = c.destination();
        switch (d.kind()) {
            case TOPIC, TEMPORARY_TOPIC -> {
                if (Advisories.isAdvisory(d)) {
                    Runnable leave;
                    synchronized (lock) {
                        leave = advisories.remove(c) ? memberships.unreserve(Advisories.groupOf(d)) : null;
                    }
                    run(leave);
                } else if (c.durableGroup() != null) {
                    removeCompeting(c, c.durableGroup(), null, buffered);
                } else if (c.sharedName() != null) {
                    removeCompeting(c, SharedSubscriptions.groupOf(d, c.sharedName()), d.spreadGroup(), buffered);
                } else {
                    Runnable leave;
                    synchronized (lock) {
                        leave = table.removeSubscriber(c) ? memberships.unreserve(d.spreadGroup()) : null;
                    }
                    run(leave);
                }
            }
            case QUEUE, TEMPORARY_QUEUE -> {
                if (QueueAssignment.isGroupQueue(d)) {
                    removeCompeting(c, QueueAssignment.groupOf(d), null, buffered);
                } else {
                    synchronized (lock) {
                        table.removeCompeting(c);
                    }
                    for (SpreadMessage m : buffered) {
                        inbound.deliverToPrivateQueue(d.getName(), m);
                    }
                }
            }
        }
    }

    private void removeCompeting(ConsumerRegistration c, String group, String topicGroup,
                                 List<SpreadMessage> buffered) {
        boolean removed;
        synchronized (lock) {
            removed = table.removeCompeting(c);
        }
        if (!removed) {
            return;
        }
        String me = provider.privateGroup();
        for (SpreadMessage m : buffered) {
            if (!table.deliverToOne(c.competitionKey(), m, me)) {
                declined(c, m);
            }
        }
        // the others must see our acknowledgements (and declines) before our leave, or they would redeliver; not
        // worth waiting for while the provider reconnects (the loss already took this member out of the view)
        if (provider.isConnected()) {
            queues.flushAcks(group, ACK_FLUSH);
        }
        Runnable leave = null;
        Runnable leaveTopic;
        synchronized (lock) {
            boolean stay = false;
            if (!table.hasCompeting(c.competitionKey())) {
                if (queues.parkedCount(group) > 0) {
                    // messages only this member can deliver wait here: stay in the group, this consumer's count
                    // becomes the lingering membership's
                    stay = lingering.add(group);
                    queues.linger(group);
                } else {
                    queues.retire(group);
                }
            }
            if (!stay) {
                leave = memberships.unreserve(group);
            }
            leaveTopic = topicGroup == null ? null : memberships.unreserve(topicGroup);
        }
        run(leave);
        run(leaveTopic);
    }

    private static void run(Runnable r) {
        if (r != null) {
            r.run();
        }
    }

    // ---- queue protocol

    @Override
    public void acknowledged(ConsumerRegistration c, SpreadMessage m) {
        String group = c.protocolGroup();
        if (group != null && m.getJMSMessageID() != null) {
            queues.acknowledge(group, m.getJMSMessageID());
        }
    }

    /**
     * Writes the pending ACKs of the queue groups of {@code consumers} to the daemon now and waits for that (at most
     * {@link #ACK_FLUSH} per group): acknowledge() and commit() return once their ACKs left this process. Not while
     * the provider reconnects (the ACKs go out once it is back, or the members redeliver, marked redelivered).
     * Never called under a session's lock.
     */
    public void flushAcks(Collection<ConsumerRegistration> consumers) {
        if (!provider.isConnected()) {
            return;
        }
        Set<String> groups = new HashSet<>();
        for (ConsumerRegistration c : consumers) {
            if (c.protocolGroup() != null) {
                groups.add(c.protocolGroup());
            }
        }
        groups.forEach(g -> queues.flushAcks(g, ACK_FLUSH));
    }

    @Override
    public void declined(ConsumerRegistration c, SpreadMessage m) {
        String group = c.protocolGroup();
        if (group != null && m.getJMSMessageID() != null) {
            queues.decline(group, m.getJMSMessageID());
        }
    }

    @Override
    public void released(ConsumerRegistration c, SpreadMessage m) {
        String group = c.protocolGroup();
        if (group != null && m.getJMSMessageID() != null) {
            queues.release(group, m.getJMSMessageID());
        }
    }

    /**
     * The {@code queueNoConsumerPolicy=fail} check: joins the queue's group as an observer (once, for good) and tells
     * whether some other connection consumes from it.
     *
     * @throws JMSException when nobody does
     */
    public void requireQueueConsumer(SpreadDestination queue) throws JMSException {
        String group = QueueAssignment.groupOf(queue);
        GroupMemberships.Join join = null;
        synchronized (lock) {
            if (queues.markObserved(group, g -> localDelivery(queue.getName()))) {
                join = memberships.reserve(group);
            }
        }
        if (join != null) {
            await(join, () -> {
                synchronized (lock) {
                    queues.unobserve(group);
                }
            });
        }
        try {
            if (!queues.hasConsumers(group, joinTimeout)) {
                throw new JMSException("queue '" + queue.getName() + "' has no consumer; the message was not sent"
                        + " (queueNoConsumerPolicy=fail)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JmsErrors.jms("interrupted while checking queue '" + queue.getName() + "' for consumers", e);
        }
    }

    // ---- mailboxes of the private and temporary queues

    /** Read-only copies of what waits for a consumer in the mailbox of a private or temporary queue. */
    public List<SpreadMessage> mailboxSnapshot(String queue) {
        return mailboxes.snapshot(queue);
    }

    public void dropMailbox(String queue) {
        mailboxes.drop(queue);
    }

    /** Stops the queue protocols' sending (the connection closes). */
    public void close() {
        queues.closeAll();
    }
}
