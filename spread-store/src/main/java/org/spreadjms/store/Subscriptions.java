package org.spreadjms.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import jakarta.jms.JMSException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.MembershipMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadException;
import org.spreadjms.client.membership.MembershipReason;
import org.spreadjms.jms.message.MessageEnvelope;
import org.spreadjms.jms.message.MessageSelector;
import org.spreadjms.jms.message.ObjectMessageFilter;
import org.spreadjms.jms.message.SpreadMessage;
import org.spreadjms.jms.store.MalformedStoreFrameException;
import org.spreadjms.jms.store.MessageKey;
import org.spreadjms.jms.store.PersistentMessages;
import org.spreadjms.jms.store.StoreControlCodec;
import org.spreadjms.jms.store.StoreFrame;
import org.spreadjms.jms.store.StoredMessage;
import org.spreadjms.store.log.MessageLog;
import org.spreadjms.store.log.StoreException;

/**
 * A store member's durable subscriptions (docs/store-protocol.md, "Durable subscriptions"): created and deleted by
 * SUBSCRIBE and UNSUBSCRIBE frames in the control group, kept in the log (destination {@value #REGISTRY}, one entry
 * per subscription, so they survive restarts and travel in state transfers), and fed from the topics' groups: every
 * message of a subscribed topic that matches a subscription's selector (and is not excluded by noLocal) is appended to
 * the subscription's own destination (its group's name), NON_PERSISTENT messages included. A PERSISTENT topic message
 * that also came through the control group (a sender waiting with {@code storeAcks}) is acknowledged once, as the
 * topic's, after its last append (or at once if no subscription keeps it).
 *
 * <p>Every member applies the frames and messages at the same points of the ordered stream. Joins and leaves of the
 * topic and subscription groups run on this object's own thread ({@code store-joins}); a member answers SUBSCRIBED
 * only once it is in both groups, so messages sent after the subscriber's request completed are kept.
 */
final class Subscriptions implements TransferredRegistry, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);
    /** The log destination of the subscription entries. */
    static final String REGISTRY = "$subscriptions";
    private static final String REGISTRY_SENDER = "$sub";
    private static final String QUEUE_SENDER = "$queue";
    /** Selectors see headers and properties only: bodies are never deserialized here. */
    private static final ObjectMessageFilter NO_OBJECTS = ObjectMessageFilter.of("");

    private record Entry(StoreFrame.Subscribe subscribe, MessageSelector selector) {
    }

    private final SpreadConnection connection;
    private final MessageLog log;
    private final ReplicaProtocol protocol;
    private final SubscriptionForwarder forwarder;
    private final String controlGroup;
    private final Duration timeout;
    private final GroupJoins joins;
    /** By subscription group; written on the dispatcher thread only. */
    private final Map<String, Entry> byGroup = new ConcurrentHashMap<>();
    /** Queue groups kept since a sender asked the store (not given with --group). */
    private final Set<String> queues = ConcurrentHashMap.newKeySet();
    /** The groups this member is in at the current point of the ordered stream (dispatcher thread only). */
    private final Set<String> inStream = new HashSet<>();
    /** {@link #inStream} when this member's current state request came back (dispatcher thread only). */
    private Set<String> inGroupAtRequest = Set.of();
    /** Subscriptions changed by frames after that request: newer than a state taken for it (dispatcher only). */
    private final Set<String> touched = new HashSet<>();
    /** The registry entries of the state transfer in progress (dispatcher thread only). */
    private final List<StoredMessage> transferred = new ArrayList<>();

    Subscriptions(SpreadConnection connection, MessageLog log, ReplicaProtocol protocol,
                  SubscriptionForwarder forwarder, String controlGroup, Duration timeout) {
        this.connection = connection;
        this.log = log;
        this.protocol = protocol;
        this.forwarder = forwarder;
        this.controlGroup = controlGroup;
        this.timeout = timeout;
        this.joins = new GroupJoins(connection, timeout);
    }

    /** Reads the subscriptions kept in the log (at start, before the member joins anything). */
    void load() throws StoreException {
        long from = 1;
        while (true) {
            List<StoredMessage> page = log.read(REGISTRY, from, 1000, 16L << 20);
            if (page.isEmpty()) {
                return;
            }
            for (StoredMessage m : page) {
                remember(m);
            }
            from = page.get(page.size() - 1).sequence() + 1;
        }
    }

    private void remember(StoredMessage m) {
        if (m.key().sender().equals(QUEUE_SENDER)) {
            queues.add(m.key().id());
            return;
        }
        try {
            if (StoreControlCodec.decode(m.payload()) instanceof StoreFrame.Subscribe s) {
                byGroup.put(s.subscriptionGroup(), new Entry(s, selector(s)));
            }
        } catch (MalformedStoreFrameException | JMSException e) {
            LOG.warn("{}: ignored an unreadable subscription entry {}: {}", connection.privateGroup(), m.key(),
                    e.getMessage());
        }
    }

    /** Joins the groups of every known subscription, waiting for each join (at start). */
    void joinAll() throws SpreadException, TimeoutException {
        for (String q : queues) {
            joins.joinNow(q);
        }
        for (Entry e : byGroup.values()) {
            joins.joinNow(e.subscribe().topicGroup());
            joins.joinNow(e.subscribe().subscriptionGroup());
        }
    }

    /**
     * A membership message of any group (dispatcher thread): tracks which groups this member is in at this point of
     * the ordered stream (a join is in effect from its membership message on, whenever the join call returned).
     */
    void onMembership(MembershipMessage m) {
        if (m.isRegular() && m.view().contains(connection.privateGroup())) {
            inStream.add(m.group());
        } else if (m.isRegular() || m.reason() == MembershipReason.SELF_LEAVE) {
            inStream.remove(m.group());
        }
    }

    @Override
    public void onOwnRequest() {
        inGroupAtRequest = Set.copyOf(inStream);
        touched.clear();
    }

    @Override
    public void onTransferStarting() {
        transferred.clear();
    }

    @Override
    public void onTransferred(StoredMessage m) {
        if (m.destination().equals(REGISTRY)) {
            transferred.add(m);
        }
    }

    /**
     * The transferred registry replaces what this member knew, except for subscriptions that frames after its
     * request changed (newer than the state); queues are only added. Then this member must have been in every group
     * the transferred registry names when its request came back (in stream order): if not, the joins run (after
     * those already queued) and the returned future completes once all are done.
     */
    @Override
    public CompletableFuture<Void> onTransferComplete() {
        Map<String, Entry> subscriptions = new HashMap<>();
        Set<String> transferredQueues = new LinkedHashSet<>();
        for (StoredMessage m : transferred) {
            if (m.key().sender().equals(QUEUE_SENDER)) {
                transferredQueues.add(m.key().id());
                continue;
            }
            try {
                if (StoreControlCodec.decode(m.payload()) instanceof StoreFrame.Subscribe s) {
                    subscriptions.put(s.subscriptionGroup(), new Entry(s, selector(s)));
                }
            } catch (MalformedStoreFrameException | JMSException e) {
                LOG.warn("{}: ignored an unreadable transferred subscription entry {}: {}",
                        connection.privateGroup(), m.key(), e.getMessage());
            }
        }
        transferred.clear();
        for (String g : List.copyOf(byGroup.keySet())) {
            if (!touched.contains(g) && !subscriptions.containsKey(g)) {
                LOG.info("{}: subscription {} is gone at the donor (deleted while this member was away)",
                        connection.privateGroup(), g);
                byGroup.remove(g);
                forwarder.forget(g);
            }
        }
        queues.addAll(transferredQueues);
        // the groups of what the state brought; what frames created after the request is promised only from then
        Set<String> needed = new LinkedHashSet<>(transferredQueues);
        subscriptions.forEach((g, e) -> {
            if (!touched.contains(g)) {
                byGroup.put(g, e);
                needed.add(e.subscribe().topicGroup());
                needed.add(g);
            }
        });
        needed.removeAll(inGroupAtRequest);
        if (needed.isEmpty()) {
            return null;
        }
        return joins.joinAll(needed);
    }

    /**
     * A PERSISTENT message for queue group {@code group}, which this member did not keep, came through the control
     * group (dispatcher thread): the queue is kept from this point of the stream on (recorded in the log, so after a
     * restart too), and the member joins its group to see its consumers' acknowledgements and views. Until that
     * join completes, an acknowledgement is missed and its message stays kept (a later re-publication gives it
     * again, marked redelivered).
     */
    void registerQueue(String group) {
        if (!queues.add(group)) {
            return;
        }
        protocol.onAppend(REGISTRY, new MessageKey(QUEUE_SENDER, group), null, null, (short) 0, new byte[0]);
        joins.joinLater(List.of(group), "queue " + group, null);
    }

    boolean isQueue(String group) {
        return queues.contains(group);
    }

    /** The log destinations a state transfer must bring: the registry and every subscription. */
    List<String> destinations() {
        List<String> out = new ArrayList<>();
        out.add(REGISTRY);
        out.addAll(byGroup.keySet());
        out.addAll(queues);
        return out;
    }

    boolean isSubscriptionGroup(String group) {
        return byGroup.containsKey(group);
    }

    /** A SUBSCRIBE delivered in the control group (dispatcher thread). */
    void onSubscribe(StoreFrame.Subscribe s) {
        Entry existing = byGroup.get(s.subscriptionGroup());
        int consumers = forwarder.consumers(s.subscriptionGroup());
        StoreFrame.SubscribeStatus status;
        MessageSelector selector;
        try {
            selector = selector(s);
        } catch (JMSException e) {
            LOG.warn("{}: refused SUBSCRIBE of {} with selector '{}': {}", connection.privateGroup(),
                    s.subscriptionGroup(), s.selector(), e.getMessage());
            return;
        }
        if (existing != null && consumers > 0
                && (!existing.subscribe().shared() || !s.shared() || !s.sameSubscriptionAs(existing.subscribe()))) {
            status = StoreFrame.SubscribeStatus.ACTIVE;
        } else {
            if (existing == null) {
                status = StoreFrame.SubscribeStatus.CREATED;
            } else if (s.sameSubscriptionAs(existing.subscribe())) {
                status = StoreFrame.SubscribeStatus.EXISTED;
            } else {
                status = StoreFrame.SubscribeStatus.REPLACED;
                protocol.onPurge(s.subscriptionGroup());
                forwarder.forget(s.subscriptionGroup());
            }
            StoreFrame.Subscribe kept = new StoreFrame.Subscribe(0, s.subscriptionGroup(), s.topic(), s.topicGroup(),
                    s.subscriber(), s.noLocal(), s.shared(), s.selector());
            MessageKey key = registryKey(s.subscriptionGroup());
            if (existing != null) {
                protocol.onLive(REGISTRY, key, null, (short) 0, null);
            }
            protocol.onAppend(REGISTRY, key, null, null, StoreControlCodec.MESS_TYPE, StoreControlCodec.encode(kept));
            byGroup.put(s.subscriptionGroup(), new Entry(kept, selector));
            touched.add(s.subscriptionGroup());
        }
        StoreFrame.Subscribed answer = new StoreFrame.Subscribed(s.requestId(), protocol.storeMembers(),
                s.subscriptionGroup(), status);
        if (status == StoreFrame.SubscribeStatus.ACTIVE) {
            joins.then(() -> reply(s.subscriber(), answer));
        } else {
            joinLater(s, () -> reply(s.subscriber(), answer));
        }
    }

    /** An UNSUBSCRIBE delivered in the control group (dispatcher thread). */
    void onUnsubscribe(StoreFrame.Unsubscribe u) {
        String group = u.subscriptionGroup();
        Entry existing = byGroup.get(group);
        StoreFrame.UnsubscribeStatus status;
        if (existing == null) {
            status = StoreFrame.UnsubscribeStatus.UNKNOWN;
        } else if (forwarder.consumers(group) > 0) {
            status = StoreFrame.UnsubscribeStatus.ACTIVE;
        } else {
            status = StoreFrame.UnsubscribeStatus.REMOVED;
            byGroup.remove(group);
            touched.add(group);
            protocol.onPurge(group);
            protocol.onLive(REGISTRY, registryKey(group), null, (short) 0, null);
            forwarder.forget(group);
            String topicGroup = existing.subscribe().topicGroup();
            boolean topicStillUsed = byGroup.values().stream()
                    .anyMatch(e -> e.subscribe().topicGroup().equals(topicGroup));
            joins.leaveLater(group);
            if (!topicStillUsed) {
                joins.leaveLater(topicGroup);
            }
        }
        StoreFrame.Unsubscribed answer = new StoreFrame.Unsubscribed(u.requestId(), protocol.storeMembers(), group,
                status);
        joins.then(() -> reply(u.requester(), answer));
    }

    /**
     * A JMS envelope delivered in topic group {@code topicGroup} (dispatcher thread): kept for each subscription of
     * the topic that wants it; acknowledged to its sender when PERSISTENT and sent through the control group too
     * ({@code viaControl}).
     */
    void onTopicMessage(DataMessage m, String topicGroup, boolean viaControl) {
        PersistentMessages.JmsHeader header;
        try {
            header = PersistentMessages.jmsHeader(m.data());
        } catch (MalformedStoreFrameException e) {
            LOG.warn("{}: not keeping a malformed message from {}: {}", connection.privateGroup(), m.sender(),
                    e.getMessage());
            return;
        }
        if (header.id() == null) {
            return;
        }
        String replyTo = header.persistent() && viaControl ? m.sender() : null;
        MessageKey key = new MessageKey(PersistentMessages.JMS_SENDER, header.id());
        List<String> keepers = keepers(topicGroup, m);
        for (int i = 0; i < keepers.size(); i++) {
            boolean last = i == keepers.size() - 1;
            protocol.onAppend(keepers.get(i), key, last ? replyTo : null, topicGroup, m.messType(), m.data());
        }
        if (keepers.isEmpty() && replyTo != null) {
            protocol.onAckOnly(topicGroup, key, replyTo);
        }
    }

    /** The subscriptions of {@code topicGroup} that keep {@code m}. */
    private List<String> keepers(String topicGroup, DataMessage m) {
        List<String> out = new ArrayList<>(1);
        SpreadMessage decoded = null;
        for (Entry e : byGroup.values()) {
            StoreFrame.Subscribe s = e.subscribe();
            if (!s.topicGroup().equals(topicGroup) || (s.noLocal() && m.sender().equals(s.subscriber()))) {
                continue;
            }
            if (e.selector() != null) {
                try {
                    if (decoded == null) {
                        decoded = MessageEnvelope.decode(m.data(), NO_OBJECTS).message();
                    }
                    if (!e.selector().matches(decoded)) {
                        continue;
                    }
                } catch (JMSException | RuntimeException ex) {
                    LOG.warn("{}: could not apply the selector of {} to a message from {}: {}",
                            connection.privateGroup(), s.subscriptionGroup(), m.sender(), ex.getMessage());
                    continue;
                }
            }
            out.add(s.subscriptionGroup());
        }
        return out;
    }

    private static MessageSelector selector(StoreFrame.Subscribe s) throws JMSException {
        return s.selector().isEmpty() ? null : MessageSelector.parse(s.selector());
    }

    private static MessageKey registryKey(String group) {
        return new MessageKey(REGISTRY_SENDER, group);
    }

    /** Joins the subscription's topic and group unless joined, then runs {@code then} (on the joins thread). */
    private void joinLater(StoreFrame.Subscribe s, Runnable then) {
        joins.joinLater(new LinkedHashSet<>(List.of(s.topicGroup(), s.subscriptionGroup())),
                "durable subscription " + s.subscriptionGroup(), then);
    }

    private void reply(String to, StoreFrame answer) {
        try {
            connection.multicast(ServiceType.FIFO, to, StoreControlCodec.MESS_TYPE, StoreControlCodec.encode(answer));
        } catch (SpreadException | RuntimeException e) {
            LOG.warn("{}: could not answer {} to {}: {}", connection.privateGroup(), answer.kind(), to,
                    e.toString());
        }
    }

    /** Subscriptions by group (for tests and logs). */
    Map<String, StoreFrame.Subscribe> snapshot() {
        Map<String, StoreFrame.Subscribe> out = new HashMap<>();
        byGroup.forEach((g, e) -> out.put(g, e.subscribe()));
        return out;
    }

    @Override
    public void close() {
        joins.close();
    }
}
