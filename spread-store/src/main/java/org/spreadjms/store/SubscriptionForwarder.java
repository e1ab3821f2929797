package org.spreadjms.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadException;
import org.spreadjms.client.membership.GroupView;
import org.spreadjms.jms.store.StoreMembers;
import org.spreadjms.jms.store.StoredMessage;
import org.spreadjms.store.log.MessageLog;
import org.spreadjms.store.log.StoreException;

/**
 * Forwards the messages kept for durable subscriptions to their consumers (docs/store-protocol.md, "Durable
 * subscriptions"). A subscription's consumers are the members of its group that are not store members; while it has
 * some, the first member of the control view, if it serves, multicasts the subscription's stored messages to that
 * group in sequence order (SAFE, the original bytes), at most {@link #WINDOW} not yet acknowledged at a time, and
 * keeps doing so as new messages are stored. The consumers take each one with the queue protocol and acknowledge it
 * (which deletes it at every store member).
 *
 * <p>When a subscription gains consumers after having none, or when this member becomes the forwarder, it starts
 * again from the first message still stored: messages a consumer held are ignored by it (it knows their ids), and
 * copies of messages that may have been forwarded before are marked JMSRedelivered.
 *
 * <p>Threads: {@link #onView}, {@link #onAcked} and {@link #onStored} are called on the dispatcher thread (or the
 * log's callback thread) and never block; forwarding runs on this object's own thread ({@code store-forward}).
 */
final class SubscriptionForwarder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionForwarder.class);
    /** Forwarded messages of one subscription that may wait for their acknowledgement at once. */
    static final int WINDOW = 1000;
    private static final int PAGE_MESSAGES = 200;
    private static final long PAGE_BYTES = 4L << 20;
    private static final long IDLE_MILLIS = 200;
    /** A full window this long without an acknowledgement is checked against the log ({@link #prune}). */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** One subscription's forwarding state. */
    private static final class Subscription {
        final String group;
        /** Forwarded ids not yet acknowledged, with their sequence. */
        final Map<String, Long> outstanding = new ConcurrentHashMap<>();
        /** When an acknowledgement last made room (forwarding thread reads it). */
        volatile long lastProgress = System.nanoTime();
        volatile int consumers;
        /** The last sequence forwarded (forwarding thread only, reset through {@link #restart}). */
        volatile long cursor;
        /** Copies of messages up to this sequence are marked redelivered. */
        volatile long maybeDelivered;
        volatile boolean restart = true;
        /** Forwarding waits until everything applied before the last restart point is written. */
        volatile CompletableFuture<?> written = CompletableFuture.completedFuture(null);

        Subscription(String group) {
            this.group = group;
        }
    }

    private final SpreadConnection connection;
    /** Sends a stored message larger than one Spread message in fragments. */
    private final FragmentingSender out;
    private final MessageLog log;
    private final ReplicaProtocol protocol;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Thread thread;
    private final Object signal = new Object();
    /** Guarded by {@link #signal}: a wake-up came since the forwarding thread last looked for work. */
    private boolean signalled;
    private volatile boolean closed;
    /** Guarded by {@code this}. */
    private boolean wasForwarder;

    SubscriptionForwarder(SpreadConnection connection, MessageLog log, ReplicaProtocol protocol) {
        this.connection = connection;
        this.out = new FragmentingSender(connection);
        this.log = log;
        this.protocol = protocol;
        this.thread = new Thread(this::run, "store-forward-" + connection.privateGroup());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** A regular view of a subscription's group. */
    void onView(GroupView view) {
        Subscription s = subscriptions.computeIfAbsent(view.group(), Subscription::new);
        int before = s.consumers;
        int now = (int) view.members().stream().filter(m -> !StoreMembers.isStoreMember(m)).count();
        s.consumers = now;
        if (before == 0 && now > 0) {
            // whatever was forwarded before may have reached a consumer that is gone: mark those copies
            s.maybeDelivered = Math.max(s.maybeDelivered, s.cursor);
            s.written = log.barrier(); // the acknowledgements before this view are deleted before it reads
            s.written.whenComplete((r, e) -> wake()); // forwarding waits for it: go on as soon as it is written
            s.restart = true;
        }
        wake();
    }

    /** Consumers attached to the subscription (members of its group that are not store members), as last seen. */
    int consumers(String group) {
        Subscription s = subscriptions.get(group);
        return s == null ? 0 : s.consumers;
    }

    /** The control view changed: a member that becomes the forwarder starts every subscription from the first. */
    void onControlView() {
        forwarderNow(protocol.isServing() && protocol.firstInControlView());
        wake();
    }

    /**
     * Whether this member forwards now. One that becomes the forwarder, because the control view changed or because
     * it began to serve again (the first member of the view, back from the minority side of a partition with the
     * majority's state), starts every subscription from the first message kept and marks every kept message as
     * possibly forwarded before (by the member that forwarded meanwhile).
     */
    private synchronized void forwarderNow(boolean now) {
        if (now && !wasForwarder) {
            CompletableFuture<?> written = log.barrier();
            written.whenComplete((r, e) -> wake());
            for (Subscription s : subscriptions.values()) {
                s.maybeDelivered = log.lastSequence(s.group);
                s.written = written;
                s.restart = true;
            }
        }
        wasForwarder = now;
    }

    /** A subscription was deleted (or replaced): forget what was forwarded. */
    void forget(String group) {
        Subscription s = subscriptions.get(group);
        if (s != null) {
            s.outstanding.clear();
            s.maybeDelivered = 0;
            s.restart = true;
        }
    }

    /** Consumers acknowledged these ids in {@code group}. */
    void onAcked(String group, Collection<String> ids) {
        Subscription s = subscriptions.get(group);
        if (s != null && s.outstanding.keySet().removeAll(ids)) {
            s.lastProgress = System.nanoTime();
            wake();
        }
    }

    /** A message was stored for {@code group}. */
    void onStored(String group) {
        Subscription s = subscriptions.get(group);
        if (s != null && s.consumers > 0) {
            wake();
        }
    }

    private void wake() {
        synchronized (signal) {
            signalled = true;
            signal.notifyAll();
        }
    }

    private void run() {
        while (!closed) {
            synchronized (signal) {
                signalled = false; // a wake-up from now on is seen below, even one before the wait
            }
            boolean progress = false;
            boolean forwarder = protocol.isServing() && protocol.firstInControlView();
            forwarderNow(forwarder);
            for (Subscription s : subscriptions.values()) {
                if (closed) {
                    return;
                }
                if (!forwarder || s.consumers == 0) {
                    continue;
                }
                try {
                    progress |= forward(s);
                } catch (StoreException | SpreadException | RuntimeException e) {
                    LOG.warn("{}: forwarding the messages of durable subscription {} failed: {}",
                            connection.privateGroup(), s.group, e.toString());
                    s.restart = true;
                }
            }
            if (!progress) {
                synchronized (signal) {
                    try {
                        if (!signalled) { // a message stored after this round read its page must not wait
                            signal.wait(IDLE_MILLIS);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    /** Forwards what the window allows of one subscription; true if anything was sent. */
    private boolean forward(Subscription s) throws StoreException, SpreadException {
        if (!s.written.isDone()) {
            return false;
        }
        if (s.restart) {
            s.restart = false;
            s.cursor = 0;
            s.outstanding.clear();
        }
        int room = WINDOW - s.outstanding.size();
        if (room <= 0 && System.nanoTime() - s.lastProgress > STALL_NANOS) {
            room = WINDOW - prune(s);
        }
        if (room <= 0) {
            return false;
        }
        List<StoredMessage> page = log.read(s.group, s.cursor + 1, Math.min(room, PAGE_MESSAGES), PAGE_BYTES);
        Expired expired = new Expired(connection, s.group);
        try {
            return forward(s, page, expired);
        } finally {
            expired.delete();
        }
    }

    private boolean forward(Subscription s, List<StoredMessage> page, Expired expired) throws SpreadException {
        for (StoredMessage m : page) {
            if (s.consumers == 0 || closed || s.restart) {
                return true;
            }
            if (expired.skip(m)) {
                s.cursor = m.sequence();
                continue;
            }
            byte[] copy = m.sequence() <= s.maybeDelivered ? QueueReplay.redelivered(m.payload()) : m.payload();
            s.outstanding.put(m.key().id(), m.sequence());
            out.multicast(ServiceType.SAFE, s.group, m.messType(), copy);
            s.cursor = m.sequence();
        }
        return !page.isEmpty();
    }

    /**
     * A full window without acknowledgements for a while: forget the forwarded ids that are no longer stored. A copy
     * the consumer ignored (it had acknowledged the message just before) is never acknowledged again, but its
     * message is deleted; without this the window would fill with such ids and forwarding would stop.
     *
     * @return the ids still outstanding
     */
    private int prune(Subscription s) throws StoreException {
        long from = s.outstanding.values().stream().mapToLong(Long::longValue).min().orElse(s.cursor + 1);
        Set<String> stored = new java.util.HashSet<>();
        while (from <= s.cursor) {
            List<StoredMessage> page = log.read(s.group, from, PAGE_MESSAGES, PAGE_BYTES);
            if (page.isEmpty()) {
                break;
            }
            for (StoredMessage m : page) {
                if (m.sequence() <= s.cursor) {
                    stored.add(m.key().id());
                }
            }
            from = page.get(page.size() - 1).sequence() + 1;
        }
        int before = s.outstanding.size();
        s.outstanding.keySet().retainAll(stored);
        s.lastProgress = System.nanoTime();
        if (s.outstanding.size() < before) {
            LOG.debug("{}: {} forwarded id(s) of {} are no longer stored: the window opens", connection.privateGroup(),
                    before - s.outstanding.size(), s.group);
        }
        return s.outstanding.size();
    }

    @Override
    public void close() {
        closed = true;
        wake();
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
