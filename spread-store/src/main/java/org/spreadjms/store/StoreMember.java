package org.spreadjms.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.MembershipMessage;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadException;
import org.spreadjms.client.SpreadListener;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.jms.queue.QueueControl;
import org.spreadjms.jms.queue.QueueControlCodec;
import org.spreadjms.jms.store.MalformedStoreFrameException;
import org.spreadjms.jms.store.MessageKey;
import org.spreadjms.jms.store.PersistentMessages;
import org.spreadjms.jms.store.StoreControlCodec;
import org.spreadjms.jms.store.StoreFrame;
import org.spreadjms.jms.store.StoreMembers;
import org.spreadjms.store.log.MessageLog;
import org.spreadjms.store.log.StoreException;

/**
 * A store member: a Spread client that joins the control group and the groups of the destinations it stores,
 * persists the messages it receives there (in the one order Spread gives every member), answers each sender with a
 * STORED acknowledgement once a message is durable, deletes what consumers acknowledged (ACKED), and catches up from
 * a serving member by state transfer when it (re)starts. See docs/store-protocol.md.
 *
 * <p>If the log fails (disk full, corrupt file, I/O error) or the daemon connection is lost, the member disconnects,
 * so it leaves the replica group and acknowledges nothing more; {@link #failure()} completes with the reason and
 * {@link #failureCause()} says which it was. A member does not reconnect by itself: {@link StoreSupervisor} starts a
 * new one on the same data after a lost connection.
 */
public final class StoreMember implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreMember.class);

    private final StoreMemberOptions options;
    private final MessageLog log;
    private final SpreadConnection connection;
    private final AckSender acks;
    private final ExecutorService donors;
    private final ReplicaProtocol protocol;
    private final QueueReplay replay;
    private final SubscriptionForwarder forwarder;
    private final Subscriptions subscriptions;
    private final BrowseServer browsing;
    private final Set<String> destinations;
    private final IncomingFragments fragments;
    private final CompletableFuture<String> failure = new CompletableFuture<>();
    private volatile FailureCause failureCause;

    /** Why a member failed: {@link StoreSupervisor} starts a new member after a lost connection only. */
    public enum FailureCause {
        /** The connection to the daemon was lost (or a send failed because it was): another daemon may take it. */
        CONNECTION_LOST,
        /** The message log failed (disk full, corrupt file, I/O error): the member must not come back by itself. */
        LOG,
        /** Anything else (a state transfer that went wrong, an error in the listener). */
        INTERNAL
    }

    private StoreMember(StoreMemberOptions options, MessageLog log, SpreadConnection connection) {
        this.options = options;
        this.log = log;
        this.connection = connection;
        this.destinations = new HashSet<>(options.destinations());
        this.donors = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "store-donor-" + connection.privateGroup());
            t.setDaemon(true);
            return t;
        });
        this.acks = new AckSender(connection, log.callbackExecutor());
        this.protocol = new ReplicaProtocol(options, connection, log, acks, donors, this::protocolFailed,
                this::stateDestinations);
        this.fragments = new IncomingFragments(connection.privateGroup(), options.controlGroup(), protocol::onMissed);
        this.replay = new QueueReplay(connection, log, protocol, options.timeout());
        this.forwarder = new SubscriptionForwarder(connection, log, protocol);
        this.subscriptions = new Subscriptions(connection, log, protocol, forwarder, options.controlGroup(),
                options.timeout());
        this.browsing = new BrowseServer(connection, log, protocol, donors);
        protocol.onAppended(forwarder::onStored);
        protocol.registry(subscriptions);
    }

    /** What a (re)starting member asks a donor for: its static destinations and the durable subscriptions. */
    private List<String> stateDestinations() {
        List<String> all = new ArrayList<>(options.destinations());
        all.addAll(subscriptions.destinations());
        return all;
    }

    /** Whether this member keeps the messages of {@code group} (a static destination or a durable subscription). */
    private boolean stores(String group) {
        return destinations.contains(group) || subscriptions.isSubscriptionGroup(group)
                || subscriptions.isQueue(group);
    }

    /**
     * Opens the log, connects, joins the destination groups and then the control group. Returns before the member
     * serves: {@link #awaitServing} waits for the state transfer (or the bootstrap decision).
     */
    public static StoreMember start(StoreMemberOptions options) throws StoreException, SpreadException,
            TimeoutException {
        return start(options, b -> b);
    }

    /**
     * As {@link #start(StoreMemberOptions)}, with further connection settings ({@code credentials(user, password)}
     * for a daemon that authenticates its clients).
     */
    public static StoreMember start(StoreMemberOptions options, UnaryOperator<SpreadOptions.Builder> settings)
            throws StoreException, SpreadException, TimeoutException {
        MessageLog log = MessageLog.open(options.dataDirectory(), options.fsync());
        SpreadConnection connection;
        try {
            connection = SpreadConnection.connect(settings.apply(SpreadOptions.builder().daemon(options.daemon())
                    .privateName(options.spreadPrivateName()).connectTimeout(options.timeout())).build());
        } catch (SpreadException | RuntimeException e) {
            log.close();
            throw e;
        }
        StoreMember m = new StoreMember(options, log, connection);
        try {
            connection.addListener(m.new Listener());
            log.failure().thenAccept(e -> m.fail(FailureCause.LOG, "the message log failed: "
                    + e.getMessage()));
            // destinations first: the member must receive everything after its state request
            for (String d : options.destinations()) {
                connection.join(d, options.timeout());
            }
            m.subscriptions.load();
            m.subscriptions.joinAll();
            connection.join(options.controlGroup(), options.timeout());
            // clients count the store members in this group's views (they never send to it)
            connection.join(StoreMembers.presenceGroupOf(options.controlGroup()), options.timeout());
        } catch (SpreadException | TimeoutException | StoreException | RuntimeException e) {
            m.close();
            throw e;
        }
        LOG.info("store member {} started on {} for {} (data {}, fsync {})", connection.privateGroup(),
                options.daemon(), options.destinations(), options.dataDirectory(), options.fsync());
        return m;
    }

    /** Waits until the member serves (caught up, or serving its own log). */
    public void awaitServing(Duration timeout) throws TimeoutException, StoreException {
        try {
            protocol.serving().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("store member " + privateGroup() + " did not catch up within "
                    + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new StoreException(StoreException.Kind.IO, "store member " + privateGroup() + " failed before"
                    + " serving: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted while waiting for " + privateGroup() + " to serve");
        }
    }

    /** Members of the control group in this member's current view (itself included). */
    public int storeMembers() {
        return protocol.storeMembers();
    }

    /**
     * Whether the member serves (and its log holds what it received until it began to); false again while it is on
     * the minority side of a partition (with {@link StoreMemberOptions#replicas()} set).
     */
    public boolean isServing() {
        CompletableFuture<Void> s = protocol.serving();
        return s.isDone() && !s.isCompletedExceptionally() && protocol.isServing();
    }

    /** Whether the member began to serve at some point (it may have failed since). */
    public boolean hasServed() {
        CompletableFuture<Void> s = protocol.serving();
        return s.isDone() && !s.isCompletedExceptionally();
    }

    /** The member's private group, where senders' acknowledgements come from. */
    public String privateGroup() {
        return connection.privateGroup();
    }

    public MessageLog log() {
        return log;
    }

    public StoreMemberOptions options() {
        return options;
    }

    /** Completes with the reason once the member has failed and left the replica group. */
    public CompletableFuture<String> failure() {
        return failure;
    }

    /**
     * Why the member failed, once {@link #failure()} is complete (null before): a supervisor restarts it only after
     * {@link FailureCause#CONNECTION_LOST}.
     */
    public FailureCause failureCause() {
        return failure.isDone() ? failureCause : null;
    }

    /**
     * The replica protocol gave up: a log operation that failed makes it a log failure; a send that failed because
     * the connection was lost (a failed write marks the connection lost before it throws) a lost connection.
     */
    private void protocolFailed(String reason) {
        if (log.failure().isDone()) {
            fail(FailureCause.LOG, reason);
        } else if (!connection.isOpen()) {
            fail(FailureCause.CONNECTION_LOST, reason);
        } else {
            fail(FailureCause.INTERNAL, reason);
        }
    }

    private void fail(FailureCause cause, String reason) {
        synchronized (failure) {
            if (failureCause != null) {
                return;
            }
            failureCause = cause;
        }
        failure.complete(reason);
        LOG.error("store member {} leaves the replica group: {}", privateGroup(), reason);
        protocol.serving().completeExceptionally(new IllegalStateException(reason));
        // off the dispatcher thread: disconnect waits for it
        Thread t = new Thread(connection::disconnect, "store-leave-" + privateGroup());
        t.setDaemon(true);
        t.start();
    }

    /** Leaves the groups, then writes what is queued and closes the log. Idempotent. */
    @Override
    public void close() {
        connection.disconnect();
        forwarder.close();
        subscriptions.close();
        replay.close();
        acks.close();
        donors.shutdownNow();
        try {
            donors.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }

    /** Runs on the connection's dispatcher thread. */
    private final class Listener implements SpreadListener {
        @Override
        public void onMessage(DataMessage received) {
            // a message larger than one Spread message counts at the point of its last fragment
            DataMessage m = fragments.whole(received);
            if (m == null) {
                return;
            }
            if (m.messType() == StoreControlCodec.MESS_TYPE) {
                StoreFrame f;
                try {
                    f = StoreControlCodec.decode(m.data());
                } catch (MalformedStoreFrameException e) {
                    LOG.warn("{}: dropped a malformed store frame from {}: {}", privateGroup(), m.sender(),
                            e.getMessage());
                    return;
                }
                if (f instanceof StoreFrame.Acked a) {
                    if (stores(a.destination())) {
                        a.keys().forEach(k -> protocol.onLive(a.destination(), k, null, (short) 0, null));
                        forwarder.onAcked(a.destination(), a.keys().stream().map(MessageKey::id).toList());
                    }
                } else if (f instanceof StoreFrame.Subscribe sub) {
                    if (m.groups().contains(options.controlGroup())) {
                        subscriptions.onSubscribe(sub);
                    }
                } else if (f instanceof StoreFrame.Unsubscribe u) {
                    if (m.groups().contains(options.controlGroup())) {
                        subscriptions.onUnsubscribe(u);
                    }
                } else if (f instanceof StoreFrame.Browse b) {
                    if (m.groups().contains(options.controlGroup())) {
                        browsing.onBrowse(b, stores(b.destination()));
                    }
                } else {
                    protocol.onFrame(m, f);
                    replay.onReplicaState(); // a state transfer or a bootstrap decision may have made it serve
                }
                return;
            }
            if (m.messType() == QueueControlCodec.MESS_TYPE) {
                onQueueControl(m);
                return;
            }
            if (StoreMembers.isStoreMember(m.sender())) {
                return; // a store member re-publishing what it stored (replay): stored already
            }
            boolean viaControl = m.groups().contains(options.controlGroup());
            String id;
            try {
                id = PersistentMessages.idOf(m.messType(), m.data());
            } catch (MalformedStoreFrameException e) {
                LOG.warn("{}: not storing a malformed message from {}: {}", privateGroup(), m.sender(),
                        e.getMessage());
                return;
            }
            for (String g : m.groups()) {
                if (g.equals(options.controlGroup())) {
                    continue;
                }
                if (destinations.contains(g) || QueueReplay.isQueueGroup(g)) {
                    keep(m, g, id, viaControl);
                } else if (m.messType() == PersistentMessages.JMS_ENVELOPE) {
                    // a topic's: kept for its durable subscriptions
                    subscriptions.onTopicMessage(m, g, viaControl);
                }
            }
        }

        /**
         * A PERSISTENT message of a static destination or a queue: kept and acknowledged to its sender. A queue this
         * member does not keep yet is kept from now on if the sender asked the store (the message came through
         * the control group too).
         */
        private void keep(DataMessage m, String group, String id, boolean viaControl) {
            if (id == null) {
                return;
            }
            if (!stores(group)) {
                if (!viaControl || !QueueReplay.isQueueGroup(group)) {
                    return;
                }
                subscriptions.registerQueue(group);
            }
            MessageKey key;
            try {
                key = PersistentMessages.keyOf(m.messType(), m.sender(), id);
            } catch (IllegalArgumentException e) {
                LOG.warn("{}: not storing a message from {}: {}", privateGroup(), m.sender(), e.getMessage());
                return;
            }
            protocol.onLive(group, key, m.sender(), m.messType(), m.data());
        }

        /**
         * A spread-jms queue control frame: an ACK deletes the acknowledged messages from the queues this member
         * stores (JMS messages are keyed by their JMSMessageID alone); a HOLDS answer to re-published copies paces
         * the re-publication; the other kinds do not concern the store.
         */
        private void onQueueControl(DataMessage m) {
            QueueControl c;
            try {
                c = QueueControlCodec.decode(m.data());
            } catch (IllegalArgumentException e) {
                LOG.warn("{}: dropped a malformed queue control frame from {}: {}", privateGroup(), m.sender(),
                        e.getMessage());
                return;
            }
            if (c.kind() == QueueControl.Kind.HOLDS) {
                // a member holds these re-published copies: the re-publication does not wait for their ACK
                m.groups().stream().filter(StoreMember.this::stores).forEach(g -> replay.onHeld(g, c.ids()));
                return;
            }
            if (c.kind() != QueueControl.Kind.ACK) {
                return;
            }
            for (String g : m.groups()) {
                if (!stores(g)) {
                    continue;
                }
                for (String id : c.ids()) {
                    MessageKey key;
                    try {
                        key = new MessageKey(PersistentMessages.JMS_SENDER, id);
                    } catch (IllegalArgumentException e) {
                        LOG.warn("{}: ignored an ACK from {} in {}: {}", privateGroup(), m.sender(), g,
                                e.getMessage());
                        continue;
                    }
                    protocol.onLive(g, key, null, (short) 0, null);
                }
                if (subscriptions.isSubscriptionGroup(g)) {
                    forwarder.onAcked(g, c.ids());
                } else {
                    replay.onAcked(g, c.ids());
                }
            }
        }

        @Override
        public void onMembership(MembershipMessage m) {
            fragments.onMembership(m);
            subscriptions.onMembership(m);
            if (m.isRegular() && m.group().equals(options.controlGroup())) {
                protocol.onControlView(m.view());
                forwarder.onControlView();
                replay.onReplicaState();
            } else if (m.isRegular() && subscriptions.isSubscriptionGroup(m.group())) {
                forwarder.onView(m.view());
            } else if (m.isRegular() && stores(m.group()) && QueueReplay.isQueueGroup(m.group())) {
                replay.onQueueView(m.view());
            }
        }

        @Override
        public void onConnectionLost(SpreadException cause) {
            fail(FailureCause.CONNECTION_LOST, "the connection to the daemon was lost: " + cause.getMessage());
        }

        @Override
        public void onError(Throwable error) {
            LOG.error("{}: error in the store listener", privateGroup(), error);
            fail(FailureCause.INTERNAL, "internal error: " + error);
        }
    }
}
