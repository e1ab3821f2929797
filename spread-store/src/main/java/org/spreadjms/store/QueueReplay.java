package org.spreadjms.store;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.membership.GroupView;
import org.spreadjms.jms.store.PersistentMessages;
import org.spreadjms.jms.store.StoreMembers;
import org.spreadjms.jms.store.StoredMessage;
import org.spreadjms.store.log.LogPosition;
import org.spreadjms.store.log.MessageLog;

/**
 * Re-publishes the stored messages of a JMS queue that its consumers may not hold (docs/store-protocol.md, "Replay").
 *
 * <p>The re-publisher is the first member of the control view, if it serves. It runs a pass over a queue group
 * ({@code q~Q}) that has members other than store members (consumers) when: the queue gains consumers after having
 * none; a consumer leaves while others stay (what only it held is held by nobody now); this member becomes the
 * re-publisher (it started, caught up, or the previous one left) while the queue has consumers. A pass multicasts
 * the queue's stored JMS messages again (SAFE, the original message type and bytes) to the queue group, in sequence
 * order, up to what its log held at the trigger (the cut, a log barrier: later messages reached the members live).
 * The queue members take a copy only if no member holds it: with one candidate it knows alone, with several they
 * answer HOLDS or LACKS and decide together (docs/queue-protocol.md, rule 8), so a copy never becomes a second
 * delivery, whoever joined when. Store members do not store these copies again (their sender is a store member).
 *
 * <p>A copy is marked JMSRedelivered when a consumer may have received its message before: it was stored before the
 * queue last lost a consumer, or before this member's first view of a queue that already had consumers (its history
 * is unknown: every message of the next pass is marked). The pass is paced: at most {@link #WINDOW} re-published
 * messages wait for their ACK (or a HOLDS answer) at a time (after {@code stall} without any the window opens
 * again), and it stops when the queue has no consumer any more or this member stops re-publishing. A trigger during
 * a pass starts another pass from the beginning after it.
 *
 * <p>Threads: {@link #onQueueView}, {@link #onReplicaState}, {@link #onAcked} and {@link #onHeld} run on the
 * connection's dispatcher thread and never block; passes run on this object's own thread ({@code store-replay}).
 */
final class QueueReplay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueueReplay.class);
    /** Re-published messages that may wait for their ACK at once. */
    static final int WINDOW = 1000;
    private static final int PAGE_MESSAGES = 200;
    /** Acknowledged ids a pass remembers, to skip what was acknowledged after its page was read. */
    private static final int RECENTLY_ACKED = 100_000;
    private static final long PAGE_BYTES = 4L << 20;
    /** The groups of JMS named queues start with this ({@code QueueAssignment}). */
    static final String QUEUE_GROUP_PREFIX = "q~";
    private static final int ENVELOPE_FLAGS = 3;
    private static final byte ENVELOPE_REDELIVERED = 1;

    private final SpreadConnection connection;
    /** Sends a stored message larger than one Spread message in fragments. */
    private final FragmentingSender out;
    private final MessageLog log;
    private final ReplicaProtocol protocol;
    private final Duration stall;
    private final ExecutorService thread;
    /** Members other than store members in each queue group's last view; dispatcher thread only. */
    private final Map<String, List<String>> consumers = new HashMap<>();
    /** Queue groups whose first view here had consumers: the next pass marks every copy; dispatcher thread only. */
    private final Set<String> unknownHistory = new HashSet<>();
    /** Whether this member re-published at the last check; dispatcher thread only. */
    private boolean republisher;
    private final Map<String, Pass> passes = new ConcurrentHashMap<>();
    /**
     * Per queue group, the last sequence of the log when a consumer last left it: messages up to it may have been
     * delivered (live or re-published) to that consumer without being acknowledged, so their copies are marked
     * redelivered.
     */
    private final Map<String, Long> maybeDelivered = new ConcurrentHashMap<>();
    private volatile boolean closed;

    QueueReplay(SpreadConnection connection, MessageLog log, ReplicaProtocol protocol, Duration stall) {
        this.connection = connection;
        this.out = new FragmentingSender(connection);
        this.log = log;
        this.protocol = protocol;
        this.stall = stall;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "store-replay-" + connection.privateGroup());
            t.setDaemon(true);
            return t;
        });
    }

    static boolean isQueueGroup(String group) {
        return group.startsWith(QUEUE_GROUP_PREFIX);
    }

    /** A regular view of a queue group this member stores. */
    void onQueueView(GroupView view) {
        String group = view.group();
        List<String> now = view.members().stream().filter(m -> !StoreMembers.isStoreMember(m)).toList();
        List<String> before = consumers.put(group, now);
        Pass running = passes.get(group);
        if (running != null) {
            running.present = !now.isEmpty();
        }
        boolean departed = before != null && before.stream().anyMatch(m -> !now.contains(m));
        if (departed) {
            // what was stored until now may have reached a member that left without acknowledging it; this
            // completes on the log's callback thread before any later barrier (the next pass's cut) does
            log.barrier().thenAccept(p -> maybeDelivered.merge(group, p.lastSequence(group), Math::max));
        }
        if (now.isEmpty()) {
            unknownHistory.remove(group); // the barrier above covers all of it
            return;
        }
        if (before == null) {
            unknownHistory.add(group);
            LOG.info("{}: {} already has {} consumer member(s); its stored messages are offered to them when this"
                    + " member re-publishes, marked redelivered", connection.privateGroup(), group, now.size());
        }
        if (isRepublisher() && (before == null || before.isEmpty() || departed)) {
            schedule(group, before == null ? "first view" : before.isEmpty() ? "a consumer appeared"
                    : "a consumer left");
        }
    }

    /**
     * The replica state may have changed (a control view, a state transfer or bootstrap decision): a member that
     * becomes the re-publisher offers the stored messages of every queue that has consumers.
     */
    void onReplicaState() {
        boolean now = isRepublisher();
        if (now && !republisher) {
            consumers.forEach((group, members) -> {
                if (!members.isEmpty()) {
                    schedule(group, "this member re-publishes now");
                }
            });
        }
        republisher = now;
    }

    private boolean isRepublisher() {
        return protocol.isServing() && protocol.firstInControlView();
    }

    /** Queues a pass over {@code group} with the cut taken now (dispatcher thread). */
    private void schedule(String group, String why) {
        // the cut: what the log holds at this point of the stream; later messages reach the members live
        CompletableFuture<LogPosition> cut = log.barrier();
        boolean markAll = unknownHistory.remove(group);
        Pass p = passes.computeIfAbsent(group, g -> new Pass(g));
        p.present = true;
        LOG.debug("{}: re-publishing the stored messages of {} ({})", connection.privateGroup(), group, why);
        if (p.next(new Run(cut, markAll))) {
            thread.execute(p);
        }
    }

    /** One pass to run: its cut, and whether every copy is marked redelivered (unknown history). */
    private record Run(CompletableFuture<LogPosition> cut, boolean markAll) {
        Run and(Run later) {
            return new Run(later.cut(), markAll || later.markAll());
        }
    }

    /**
     * A queue ACK in {@code group}: those re-published messages no longer wait, and a pass that read them before
     * their delete does not send them (a member that joined after the ACK would not know it was acknowledged).
     */
    void onAcked(String group, Collection<String> ids) {
        Pass p = passes.get(group);
        if (p != null) {
            p.rememberAcked(ids);
            p.acked(ids);
        }
    }

    /** A member's HOLDS answer in {@code group}: those re-published copies will not be consumed as new. */
    void onHeld(String group, Collection<String> ids) {
        Pass p = passes.get(group);
        if (p != null) {
            p.acked(ids);
        }
    }

    /**
     * A copy of a JMS envelope with JMSRedelivered set (flag bit 0 of byte 3, spread-jms {@code MessageEnvelope}): it
     * was stored while the queue had consumers, so one of them may have received it without acknowledging.
     */
    static byte[] redelivered(byte[] envelope) {
        byte[] copy = envelope.clone();
        if (copy.length > ENVELOPE_FLAGS) {
            copy[ENVELOPE_FLAGS] |= ENVELOPE_REDELIVERED;
        }
        return copy;
    }

    @Override
    public void close() {
        closed = true;
        passes.values().forEach(Pass::wake);
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The re-publication of one queue's stored messages, repeated while consumers keep appearing. */
    private final class Pass implements Runnable {
        private final String group;
        private final Set<String> outstanding = ConcurrentHashMap.newKeySet();
        /** The last {@link #RECENTLY_ACKED} ids acknowledged since this pass exists, oldest first; guarded by it. */
        private final Set<String> recentlyAcked = new LinkedHashSet<>();
        volatile boolean present;
        /** The next run, or null; guarded by {@code this}. */
        private Run nextRun;
        /** Whether a run is queued or running; guarded by {@code this}. */
        private boolean scheduled;

        Pass(String group) {
            this.group = group;
        }

        /** Sets the next run; true if the caller must schedule it (none is queued or running). */
        synchronized boolean next(Run run) {
            nextRun = nextRun == null ? run : nextRun.and(run);
            if (scheduled) {
                return false;
            }
            scheduled = true;
            return true;
        }

        private synchronized Run take() {
            Run r = nextRun;
            nextRun = null;
            if (r == null) {
                scheduled = false;
            }
            return r;
        }

        void rememberAcked(Collection<String> ids) {
            synchronized (recentlyAcked) {
                for (String id : ids) {
                    if (recentlyAcked.add(id) && recentlyAcked.size() > RECENTLY_ACKED) {
                        Iterator<String> it = recentlyAcked.iterator();
                        it.next();
                        it.remove();
                    }
                }
            }
        }

        private boolean wasAcked(String id) {
            synchronized (recentlyAcked) {
                return recentlyAcked.contains(id);
            }
        }

        void acked(Collection<String> ids) {
            if (outstanding.removeAll(ids)) {
                wake();
            }
        }

        synchronized void wake() {
            notifyAll();
        }

        @Override
        public void run() {
            for (Run run = take(); run != null; run = take()) {
                try {
                    runOnce(run);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    // the messages stay stored; the next trigger gets another pass
                    LOG.warn("{}: re-publishing the stored messages of {} failed: {}", connection.privateGroup(),
                            group, e.toString());
                }
            }
        }

        private boolean goOn() {
            return present && !closed && protocol.isServing() && protocol.firstInControlView();
        }

        private void runOnce(Run run) throws Exception {
            outstanding.clear();
            long upTo = run.cut().get(stall.toMillis(), TimeUnit.MILLISECONDS).lastSequence(group);
            long markUpTo = run.markAll() ? upTo : maybeDelivered.getOrDefault(group, 0L);
            long from = 1;
            int sent = 0;
            int marked = 0;
            Expired expired = new Expired(connection, group);
            while (from <= upTo && goOn()) {
                List<StoredMessage> page = log.read(group, from, PAGE_MESSAGES, PAGE_BYTES);
                if (page.isEmpty()) {
                    break;
                }
                for (StoredMessage m : page) {
                    if (m.sequence() > upTo || !goOn()) {
                        break;
                    }
                    if (m.messType() != PersistentMessages.JMS_ENVELOPE || expired.skip(m)) {
                        continue; // only JMS queue members take messages from a queue group; none expired
                    }
                    awaitWindow();
                    if (wasAcked(m.key().id())) {
                        continue; // acknowledged after the page was read: deleted, and nobody must take it again
                    }
                    outstanding.add(m.key().id());
                    byte[] copy = m.payload();
                    if (m.sequence() <= markUpTo) {
                        copy = redelivered(copy);
                        marked++;
                    }
                    out.multicast(ServiceType.SAFE, group, m.messType(), copy);
                    sent++;
                }
                from = page.get(page.size() - 1).sequence() + 1;
                expired.delete();
            }
            expired.delete();
            LOG.info("{}: re-published {} stored message(s) of {} (up to sequence {}, {} marked redelivered){}",
                    connection.privateGroup(), sent, group, upTo, marked,
                    goOn() ? "" : "; stopped: the queue has no consumer any more, or this member no longer"
                            + " re-publishes");
        }

        private synchronized void awaitWindow() throws InterruptedException {
            long lastProgress = System.nanoTime();
            int size = outstanding.size();
            while (outstanding.size() >= WINDOW && present && !closed) {
                if (outstanding.size() < size) {
                    size = outstanding.size();
                    lastProgress = System.nanoTime();
                }
                long left = stall.toNanos() - (System.nanoTime() - lastProgress);
                if (left <= 0) {
                    // consumers ignore copies of what they hold, so some never come back acknowledged
                    LOG.debug("{}: no ACK for {} ms, opening the window", group, stall.toMillis());
                    outstanding.clear();
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        }
    }
}
