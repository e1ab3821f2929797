package org.spreadjms.jms;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

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
import org.spreadjms.jms.errors.JmsErrors;
import org.spreadjms.jms.message.MessageEnvelope;
import org.spreadjms.jms.message.ObjectMessageFilter;
import org.spreadjms.jms.message.SpreadMessage;
import org.spreadjms.jms.provider.Provider;
import org.spreadjms.jms.provider.ProviderListener;

/**
 * Routes what the Spread connection delivers to the consumers of a JMS connection, and keeps the connection's group
 * memberships (one join per group, however many consumers share it).
 *
 * <ul>
 *   <li>A topic message goes to every consumer of that topic (each its own copy).</li>
 *   <li>A message to this connection's private group goes to one consumer of the addressed queue: the private queue
 *       {@code #name#daemon} itself, or a temporary queue {@code #name#daemon/sub}. Without a consumer it waits in
 *       that queue's mailbox (bounded; the oldest is dropped with a warning), where a QueueBrowser sees it.</li>
 *   <li>A message to a named queue's group, or to a topic with shared subscriptions, is handled by that group's
 *       {@link QueueProtocol}: one member takes it, and it is redelivered elsewhere if that member leaves before
 *       acknowledging it (docs/queue-protocol.md).</li>
 *   <li>Membership messages become advisories for {@link Advisories} consumers.</li>
 * </ul>
 * {@link #onMessage} and {@link #onMembership} run on the Spread connection's dispatcher thread: they decode and
 * hand over, never block and never send (control messages go out from the timer thread). The one exception is
 * opt-in: with {@code alwaysSessionAsync=false} the hand-over may run a lone session's MessageListener right here,
 * and that application code may send or block.
 */
final class MessageRouter implements ProviderListener {
    private static final Logger LOG = LoggerFactory.getLogger(MessageRouter.class);
    /** Unacknowledged messages each member holds per named queue for redelivery (see docs/queue-protocol.md). */
    static final int QUEUE_HELD_MESSAGES = 100_000;

    private final SpreadJmsConnection connection;
    private final Provider provider;
    private final ObjectMessageFilter objectFilter;
    private final boolean rawAsText;
    private final int mailboxLimit;
    private final long mailboxBytes;
    private static final SpreadMessageConsumer[] NO_CONSUMERS = new SpreadMessageConsumer[0];
    private final Map<String, List<SpreadMessageConsumer>> topicConsumers = new ConcurrentHashMap<>();
    private final Map<String, List<SpreadMessageConsumer>> queueConsumers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();
    private final Map<String, MessageBuffer> mailboxes = new ConcurrentHashMap<>();
    private final Map<String, Integer> groupUsers = new ConcurrentHashMap<>();
    private final Map<String, CopyOnWriteArrayList<String>> sharedByTopic = new ConcurrentHashMap<>();
    private final Advisories advisories = new Advisories();
    private final Map<String, QueueProtocol> queueProtocols = new ConcurrentHashMap<>();
    /** Queue groups this connection watches for queueNoConsumerPolicy=fail (joined for good). */
    private final java.util.Set<String> observedQueues = ConcurrentHashMap.newKeySet();
    private final TemporaryDestinations temporaries;
    private final Object joinLock = new Object();

    MessageRouter(SpreadJmsConnection connection, Provider provider) {
        this.connection = connection;
        this.provider = provider;
        this.objectFilter = ObjectMessageFilter.of(connection.settings().getDeserializationAllowlist());
        this.rawAsText = connection.settings().isRawMessagesAsText();
        this.mailboxLimit = connection.settings().getConsumerBufferMessages();
        this.mailboxBytes = connection.settings().effectiveConsumerBufferBytes();
        this.temporaries = new TemporaryDestinations(this);
    }

    Provider provider() {
        return provider;
    }

    ObjectMessageFilter objectFilter() {
        return objectFilter;
    }

    TemporaryDestinations temporaries() {
        return temporaries;
    }

    String privateGroup() {
        return provider.privateGroup();
    }

    // ---- consumers and memberships

    /** Registers a consumer and, for a group destination, joins the group (returning once the join is confirmed). */
    void addConsumer(SpreadMessageConsumer c) throws JMSException {
        SpreadDestination d = c.destination();
        temporaries.consumerAdded(d);
        switch (d.kind()) {
            case TOPIC, TEMPORARY_TOPIC -> {
                if (Advisories.isAdvisory(d)) {
                    advisories.add(c);
                    useGroup(Advisories.groupOf(d), () -> advisories.remove(c));
                } else if (c.sharedName() != null) {
                    String key = SharedSubscriptions.key(d, c.sharedName());
                    queueConsumers.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(c);
                    sharedByTopic.computeIfAbsent(d.getName(), k -> new CopyOnWriteArrayList<>())
                            .addIfAbsent(c.sharedName());
                    // the topic's group first: until this connection is in the subscription's view, the other
                    // members take every message, so a joining member loses none
                    String shared = SharedSubscriptions.groupOf(d, c.sharedName());
                    queueProtocols.computeIfAbsent(shared, g -> new QueueProtocol(g, provider,
                            m -> deliverIfAccepted(key, m), connection.timer(), QUEUE_HELD_MESSAGES));
                    useGroup(d.spreadGroup(), () -> queueConsumers.get(key).remove(c));
                    useGroup(shared, () -> {
                        queueConsumers.get(key).remove(c);
                        releaseGroup(d.spreadGroup());
                    });
                } else {
                    topicConsumers.computeIfAbsent(d.getName(), k -> new CopyOnWriteArrayList<>()).add(c);
                    useGroup(d.spreadGroup(), () -> topicConsumers.get(d.getName()).remove(c));
                }
            }
            case QUEUE, TEMPORARY_QUEUE -> {
                if (QueueAssignment.isGroupQueue(d)) {
                    String group = QueueAssignment.groupOf(d);
                    synchronized (joinLock) {
                        queueConsumers.computeIfAbsent(d.getName(), k -> new CopyOnWriteArrayList<>()).add(c);
                        QueueProtocol p = queueProtocols.computeIfAbsent(group, g -> newQueueProtocol(g, d));
                        useGroup(group, () -> queueConsumers.get(d.getName()).remove(c));
                        p.observe(false);
                    }
                } else {
                    queueConsumers.computeIfAbsent(d.getName(), k -> new CopyOnWriteArrayList<>()).add(c);
                    drainMailbox(d.getName());
                }
            }
        }
    }

    void removeConsumer(SpreadMessageConsumer c) {
        SpreadDestination d = c.destination();
        temporaries.consumerRemoved(d);
        switch (d.kind()) {
            case TOPIC, TEMPORARY_TOPIC -> {
                if (Advisories.isAdvisory(d)) {
                    if (advisories.remove(c)) {
                        releaseGroup(Advisories.groupOf(d));
                    }
                } else if (c.sharedName() != null) {
                    List<SpreadMessageConsumer> l = queueConsumers.get(SharedSubscriptions.key(d, c.sharedName()));
                    if (l != null && l.remove(c)) {
                        String shared = SharedSubscriptions.groupOf(d, c.sharedName());
                        QueueProtocol p = queueProtocols.get(shared);
                        if (p != null) {
                            p.flushAcks();
                        }
                        if (l.isEmpty()) {
                            queueProtocols.remove(shared);
                        }
                        releaseGroup(shared);
                        releaseGroup(d.spreadGroup());
                    }
                } else {
                    List<SpreadMessageConsumer> l = topicConsumers.get(d.getName());
                    if (l != null && l.remove(c)) {
                        releaseGroup(d.spreadGroup());
                    }
                }
            }
            case QUEUE, TEMPORARY_QUEUE -> {
                if (!QueueAssignment.isGroupQueue(d)) {
                    List<SpreadMessageConsumer> l = queueConsumers.get(d.getName());
                    if (l != null) {
                        l.remove(c);
                    }
                    return;
                }
                synchronized (joinLock) {
                    List<SpreadMessageConsumer> l = queueConsumers.get(d.getName());
                    if (l != null && l.remove(c)) {
                        String group = QueueAssignment.groupOf(d);
                        QueueProtocol p = queueProtocols.get(group);
                        if (p != null) {
                            // the others must see our acknowledgements before our leave, or they would redeliver
                            p.flushAcks();
                        }
                        if (l.isEmpty()) {
                            if (observedQueues.contains(group) && p != null) {
                                p.observe(true); // still watched for queueNoConsumerPolicy=fail: stay, take nothing
                            } else {
                                queueProtocols.remove(group);
                            }
                        }
                        releaseGroup(group);
                    }
                }
            }
        }
    }

    Advisories advisories() {
        return advisories;
    }

    private QueueProtocol newQueueProtocol(String group, SpreadDestination queue) {
        return new QueueProtocol(group, provider, m -> deliverIfAccepted(queue.getName(), m), connection.timer(),
                QUEUE_HELD_MESSAGES);
    }

    /**
     * The {@code queueNoConsumerPolicy=fail} check: joins the queue's group as an observer (once) and tells whether
     * some other connection consumes from it.
     *
     * @throws JMSException when nobody does
     */
    void requireQueueConsumer(SpreadDestination queue) throws JMSException {
        String group = QueueAssignment.groupOf(queue);
        QueueProtocol p;
        synchronized (joinLock) {
            QueueProtocol existing = queueProtocols.get(group);
            p = existing;
            if (!observedQueues.contains(group)) {
                QueueProtocol watcher = existing != null ? existing : newQueueProtocol(group, queue);
                queueProtocols.put(group, watcher);
                useGroup(group, () -> {
                    if (existing == null) {
                        queueProtocols.remove(group);
                    }
                });
                observedQueues.add(group);
                if (existing == null) {
                    watcher.observe(true); // no consumer here: take nothing
                }
                p = watcher;
            }
        }
        try {
            if (!p.hasConsumers(connection.settings().joinTimeout().toMillis())) {
                throw new JMSException("queue '" + queue.getName() + "' has no consumer; the message was not sent"
                        + " (queueNoConsumerPolicy=fail)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JmsErrors.jms("interrupted while checking queue '" + queue.getName() + "' for consumers", e);
        }
    }

    /** Joins {@code group} if this is its first user; on failure runs {@code undo} and rethrows. */
    void useGroup(String group, Runnable undo) throws JMSException {
        synchronized (joinLock) {
            int users = groupUsers.getOrDefault(group, 0);
            // in use before the join: messages that follow the daemon's confirmation must already be routed
            groupUsers.put(group, users + 1);
            if (users == 0) {
                try {
                    provider.join(group);
                } catch (JMSException | RuntimeException e) {
                    groupUsers.remove(group);
                    undo.run();
                    throw e;
                }
            }
        }
    }

    void releaseGroup(String group) {
        synchronized (joinLock) {
            Integer users = groupUsers.get(group);
            if (users == null) {
                return;
            }
            if (users <= 1) {
                groupUsers.remove(group);
                try {
                    provider.leave(group);
                } catch (JMSException e) {
                    LOG.debug("leave of {} failed: {}", group, e.getMessage());
                }
            } else {
                groupUsers.put(group, users - 1);
            }
        }
    }

    // ---- incoming

    /** The connection's dispatcher thread, as last seen routing (only that thread ever finds itself here). */
    private Thread dispatcher;

    /** Whether the calling thread is the connection's dispatcher thread, routing a message. */
    boolean onDispatcherThread() {
        return dispatcher == Thread.currentThread();
    }

    @Override
    public void onMessage(DataMessage dm) {
        dispatcher = Thread.currentThread();
        if (dm.messType() == QueueProtocol.CONTROL_MESS_TYPE) {
            for (String g : dm.groups()) {
                QueueProtocol p = queueProtocols.get(g);
                if (p != null) {
                    p.onControl(dm.data());
                }
            }
            return;
        }
        SpreadMessage m;
        String target = null;
        try {
            if (dm.messType() == MessageEnvelope.MESS_TYPE) {
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
        boolean enveloped = dm.messType() == MessageEnvelope.MESS_TYPE;
        if (dm.groups().contains(me)) {
            String queue = target != null && !target.isEmpty() ? me + "/" + target : me;
            if (!enveloped) {
                setDestination(m, known(false, me));
            }
            deliverToQueue(queue, m);
        }
        for (String g : dm.groups()) {
            if (g.equals(me) || !groupUsers.containsKey(g)) {
                continue;
            }
            if (enveloped) {
                routeEnveloped(g, m);
            } else {
                routeRaw(g, m);
            }
        }
    }

    private void routeEnveloped(String group, SpreadMessage m) {
        Destination dest = destinationOf(m);
        if (!(dest instanceof SpreadDestination d)) {
            return;
        }
        switch (d.kind()) {
            case TOPIC, TEMPORARY_TOPIC -> {
                if (d.spreadGroup().equals(group)) {
                    deliverToTopic(d.getName(), m);
                }
            }
            case QUEUE -> {
                if (QueueAssignment.isGroupQueue(d) && QueueAssignment.groupOf(d).equals(group)) {
                    QueueProtocol p = queueProtocols.get(group);
                    if (p != null) {
                        p.onMessage(m);
                    }
                }
            }
            default -> {
            }
        }
    }

    private void routeRaw(String group, SpreadMessage m) {
        for (String topic : topicConsumers.keySet()) {
            if (SpreadTopicGroups.groupOf(topic).equals(group)) {
                SpreadMessage copy = m.copy();
                setDestination(copy, known(true, topic));
                copy.setReadOnly(true, true);
                deliverToTopic(topic, copy);
            }
        }
    }

    private void deliverToTopic(String topic, SpreadMessage m) {
        List<String> shared = sharedByTopic.get(topic);
        if (shared != null) {
            for (String name : shared) {
                QueueProtocol p = queueProtocols.get(SharedSubscriptions.groupOf(topic, name));
                if (p != null) {
                    p.onMessage(readOnlyCopy(m)); // its own instance: topic consumers may change theirs
                }
            }
        }
        List<SpreadMessageConsumer> cs = topicConsumers.get(topic);
        if (cs == null || cs.isEmpty()) {
            return;
        }
        // every copy is made before any consumer sees the message: a consumer's thread may change its instance
        // (the ObjectMessage filter, for one) as soon as it has it
        SpreadMessageConsumer[] targets = cs.toArray(NO_CONSUMERS); // a snapshot: the list is copy-on-write
        if (targets.length == 1) {
            targets[0].offer(m);
            return;
        }
        SpreadMessage[] copies = new SpreadMessage[targets.length];
        copies[0] = m;
        for (int i = 1; i < copies.length; i++) {
            copies[i] = readOnlyCopy(m);
        }
        for (int i = 0; i < copies.length; i++) {
            targets[i].offer(copies[i]);
        }
    }

    private void deliverToQueue(String queue, SpreadMessage m) {
        if (deliverIfAccepted(queue, m)) {
            return;
        }
        MessageBuffer box = mailboxes.computeIfAbsent(queue, k -> new MessageBuffer());
        synchronized (box) {
            while (box.full(m, mailboxLimit, mailboxBytes)) {
                SpreadMessage dropped = box.dropOldestArrival();
                LOG.warn("mailbox of queue {} is full ({} messages, {} bytes at most): dropped the oldest ({})",
                        queue, mailboxLimit, mailboxBytes, idOf(dropped));
            }
            box.addLast(m);
        }
    }

    /** Gives a named-queue message to one local consumer that accepts it; false when none does. */
    private boolean deliverIfAccepted(String queue, SpreadMessage m) {
        List<SpreadMessageConsumer> cs = queueConsumers.get(queue);
        if (cs == null || cs.isEmpty()) {
            return false;
        }
        int n = cs.size();
        int start = Math.floorMod(roundRobin.computeIfAbsent(queue, k -> new AtomicInteger()).getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            SpreadMessageConsumer c = cs.get((start + i) % n);
            if (c.accepts(m)) {
                c.offer(m);
                return true;
            }
        }
        return false;
    }

    /**
     * Consumer {@code c} acknowledged {@code m}: if it came from a named queue or a shared subscription, tell the
     * members of that queue's or subscription's group.
     */
    void acknowledged(SpreadMessageConsumer c, SpreadMessage m) {
        String group = protocolGroup(c);
        QueueProtocol p = group == null ? null : queueProtocols.get(group);
        if (p != null && m.getJMSMessageID() != null) {
            p.acknowledge(m.getJMSMessageID());
        }
    }

    /**
     * A message of a named queue or shared subscription that this connection took but will not deliver (its consumer
     * closed, its buffer overflowed, its session closed unacknowledged): the other members reassign it.
     */
    void declined(SpreadMessageConsumer c, SpreadMessage m) {
        String group = protocolGroup(c);
        QueueProtocol p = group == null ? null : queueProtocols.get(group);
        if (p != null && m.getJMSMessageID() != null) {
            p.decline(m.getJMSMessageID());
        }
    }

    private static String protocolGroup(SpreadMessageConsumer c) {
        SpreadDestination d = c.destination();
        if (c.sharedName() != null) {
            return SharedSubscriptions.groupOf(d, c.sharedName());
        }
        return QueueAssignment.isGroupQueue(d) ? QueueAssignment.groupOf(d) : null;
    }

    /** Messages a closing consumer had buffered: to another local consumer of the queue, else declined. */
    void requeue(SpreadMessageConsumer closed, List<SpreadMessage> buffered) {
        SpreadDestination d = closed.destination();
        if (protocolGroup(closed) == null || buffered.isEmpty()) {
            return;
        }
        String key = closed.sharedName() != null ? SharedSubscriptions.key(d, closed.sharedName()) : d.getName();
        for (SpreadMessage m : buffered) {
            if (!deliverIfAccepted(key, m)) {
                declined(closed, m);
            }
        }
    }

    /** Hands messages that waited in a queue's mailbox to its consumers. */
    void drainMailbox(String queue) {
        MessageBuffer box = mailboxes.get(queue);
        if (box == null) {
            return;
        }
        List<SpreadMessage> waiting;
        synchronized (box) {
            waiting = box.drain();
        }
        waiting.forEach(m -> deliverToQueue(queue, m));
    }

    /** A snapshot of what waits in a queue's mailbox (for QueueBrowser). */
    List<SpreadMessage> mailboxSnapshot(String queue) {
        MessageBuffer box = mailboxes.get(queue);
        if (box == null) {
            return List.of();
        }
        synchronized (box) {
            return box.snapshot().stream().map(MessageRouter::readOnlyCopy).toList();
        }
    }

    void dropMailbox(String queue) {
        mailboxes.remove(queue);
    }

    @Override
    public void onMembership(MembershipMessage mm) {
        if (mm.isRegular()) {
            QueueProtocol p = queueProtocols.get(mm.group());
            if (p != null) {
                p.onView(mm.view());
            }
        }
        advisories.publish(mm);
    }

    @Override
    public void onConnectionLost(JMSException cause) {
        connection.connectionLost(cause);
    }

    void closeTemporaryDestinations() {
        temporaries.closeAll();
    }

    // ---- helpers

    static SpreadMessage readOnlyCopy(SpreadMessage m) {
        SpreadMessage c = m.copy();
        c.setReadOnly(true, true);
        return c;
    }

    private static Destination destinationOf(SpreadMessage m) {
        return m.getJMSDestination();
    }

    private static void setDestination(SpreadMessage m, Destination d) {
        try {
            m.setJMSDestination(d);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A destination object for a name this router already uses, so it cannot be invalid. */
    private static SpreadDestination known(boolean topic, String name) {
        try {
            return topic ? new SpreadTopic(name) : new SpreadQueue(name);
        } catch (JMSException e) {
            throw new IllegalStateException("destination '" + name + "' became invalid", e);
        }
    }

    private static String idOf(SpreadMessage m) {
        return m == null ? null : m.getJMSMessageID();
    }
}
