package org.spreadjms.store;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
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
 * Re-publishes the stored messages of a JMS queue when a consumer appears on it (docs/store-protocol.md, "Replay").
 *
 * <p>A queue group ({@code q~Q}) whose view goes from no member other than store members to at least one is a queue
 * whose stored messages nobody holds: the first member of the control view, if it serves, multicasts them again
 * (SAFE, the original message type and bytes) to the queue group, in sequence order, up to what its log held at that
 * view change (the cut; later messages reached the new members live). The queue members treat them like any queue
 * message; they ignore an id they hold or saw acknowledged, so a copy never becomes a duplicate. Store members do not
 * store these copies again (their sender is a store member). A copy of a message stored before the queue last lost
 * its consumers is marked JMSRedelivered: one of them may have received it without acknowledging (this is known
 * only since this member started). The pass is paced: at most {@link #WINDOW} re-published
 * messages wait for their ACK at a time (after {@code stall} without any ACK the window opens again), and it stops
 * when the queue has no consumer any more. A consumer that appears while a pass runs starts another pass from the
 * beginning after it.
 *
 * <p>Threads: {@link #onQueueView} and {@link #onAcked} run on the connection's dispatcher thread and never block;
 * passes run on this object's own thread ({@code store-replay}).
 */
final class QueueReplay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueueReplay.class);
    /** Re-published messages that may wait for their ACK at once. */
    static final int WINDOW = 1000;
    private static final int PAGE_MESSAGES = 200;
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
    private final Map<String, Integer> consumers = new HashMap<>();
    private final Map<String, Pass> passes = new ConcurrentHashMap<>();
    /**
     * Per queue group, the last sequence of the log when the queue last lost its consumers: messages up to it may
     * have been delivered (live or re-published) without being acknowledged, so their copies are marked redelivered.
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
        int now = (int) view.members().stream().filter(m -> !StoreMembers.isStoreMember(m)).count();
        Integer before = consumers.put(group, now);
        Pass running = passes.get(group);
        if (running != null) {
            running.present = now > 0;
        }
        if (before != null && before > 0 && now == 0) {
            // completes on the log's callback thread before any later barrier (the next pass's cut) does
            log.barrier().thenAccept(p -> maybeDelivered.merge(group, p.lastSequence(group), Math::max));
        }
        if (before == null) {
            if (now > 0) {
                LOG.info("{}: {} already has {} member(s); its stored messages are re-published when it next gains"
                        + " a consumer after having none", connection.privateGroup(), group, now);
            }
            return;
        }
        if (before > 0 || now == 0 || !protocol.isServing() || !protocol.firstInControlView()) {
            return;
        }
        // the cut: what the log holds at this point of the stream; later messages reach the new members live
        CompletableFuture<LogPosition> cut = log.barrier();
        Pass p = passes.computeIfAbsent(group, g -> new Pass(g));
        p.present = true;
        if (p.next(cut)) {
            thread.execute(p);
        }
    }

    /** A queue ACK in {@code group}: those re-published messages no longer wait. */
    void onAcked(String group, Collection<String> ids) {
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
        volatile boolean present;
        /** The cut of the next run, or null; guarded by {@code this}. */
        private CompletableFuture<LogPosition> nextCut;
        /** Whether a run is queued or running; guarded by {@code this}. */
        private boolean scheduled;

        Pass(String group) {
            this.group = group;
        }

        /** Sets the cut of the next run; true if the caller must schedule it (none is queued or running). */
        synchronized boolean next(CompletableFuture<LogPosition> cut) {
            nextCut = cut;
            if (scheduled) {
                return false;
            }
            scheduled = true;
            return true;
        }

        private synchronized CompletableFuture<LogPosition> take() {
            CompletableFuture<LogPosition> c = nextCut;
            nextCut = null;
            if (c == null) {
                scheduled = false;
            }
            return c;
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
            for (CompletableFuture<LogPosition> cut = take(); cut != null; cut = take()) {
                try {
                    runOnce(cut);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    // the messages stay stored; the next consumer to appear gets another pass
                    LOG.warn("{}: re-publishing the stored messages of {} failed: {}", connection.privateGroup(),
                            group, e.toString());
                }
            }
        }

        private void runOnce(CompletableFuture<LogPosition> cut) throws Exception {
            outstanding.clear();
            long upTo = cut.get(stall.toMillis(), TimeUnit.MILLISECONDS).lastSequence(group);
            long from = 1;
            int sent = 0;
            int marked = 0;
            Expired expired = new Expired(connection, group);
            while (from <= upTo && present && !closed) {
                List<StoredMessage> page = log.read(group, from, PAGE_MESSAGES, PAGE_BYTES);
                if (page.isEmpty()) {
                    break;
                }
                for (StoredMessage m : page) {
                    if (m.sequence() > upTo || !present || closed) {
                        break;
                    }
                    if (m.messType() != PersistentMessages.JMS_ENVELOPE || expired.skip(m)) {
                        continue; // only JMS queue members take messages from a queue group; none expired
                    }
                    awaitWindow();
                    outstanding.add(m.key().id());
                    byte[] copy = m.payload();
                    if (m.sequence() <= maybeDelivered.getOrDefault(group, 0L)) {
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
                    present ? "" : "; stopped: the queue has no consumer any more");
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
