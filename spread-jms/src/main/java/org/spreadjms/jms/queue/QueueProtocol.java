package org.spreadjms.jms.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.membership.GroupView;
import org.spreadjms.jms.message.MessageCopies;
import org.spreadjms.jms.message.SpreadMessage;
import org.spreadjms.jms.provider.Provider;
import org.spreadjms.jms.store.StoreMembers;

/**
 * One connection's part in the competing-consumer protocol of one named queue or shared subscription (see
 * docs/queue-protocol.md): holds every queue message until some member acknowledges it, delivers the ones assigned
 * to this connection, and reassigns unacknowledged messages when a member leaves.
 *
 * <p>A message assigned to this member that no local consumer can take, and that no other candidate could take
 * either (this member is its last candidate), is <em>parked</em> here rather than declined (a DECLINE would drop it):
 * it waits for the next local consumer of the queue ({@link #unpark}), marked redelivered, for as long as this
 * connection stays in the group (see {@code ConsumerRouting}: it lingers there while it has parked messages).
 *
 * <p>Threads: {@link #onMessage}, {@link #onControl} and {@link #onView} run on the provider's dispatcher thread, in
 * delivery order, and never send. {@link #acknowledge}, {@link #decline}, {@link #unpark} and {@link #observe} may be
 * called from any thread, but never under a session's lock (the dispatcher holds this object's lock while it hands
 * messages to sessions); they only queue control messages, which go out from the connection's timer thread
 * ({@link ControlOutbox}). The held messages are guarded by this object's lock.
 */
public final class QueueProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(QueueProtocol.class);
    private static final int ACK_BATCH = 128;
    private static final long ACK_DELAY_MILLIS = 5;
    /** Ids of acknowledged messages remembered, so that a copy a store member re-publishes later is ignored. */
    static final int RECENTLY_ACKED = 16_384;

    /** Hands a message assigned to this connection to one local consumer. Called on the dispatcher thread. */
    public interface LocalDelivery {
        /** @return false when no local consumer accepts {@code m} (it is then declined) */
        boolean deliver(SpreadMessage m);
    }

    private static final class Held {
        SpreadMessage message;
        final List<String> candidates;
        String assignee;

        Held(SpreadMessage message, List<String> candidates) {
            this.message = message;
            this.candidates = new ArrayList<>(candidates);
        }
    }

    private final String group;
    private final Provider provider;
    private final LocalDelivery local;
    private final ScheduledExecutorService timer;
    private final int maxHeld;
    private final ControlOutbox outbox;
    /** Re-published copies waiting for answers (a named queue's group only); guarded by {@code this}. */
    private final ReplayRounds rounds;
    private final CopyAnswers answers;
    /** Guarded by {@code this}. */
    private final Map<String, Held> held = new LinkedHashMap<>();
    /** Ids of held messages assigned to this member and waiting for a local consumer; guarded by {@code this}. */
    private final Set<String> parked = new LinkedHashSet<>();
    /** The last {@link #RECENTLY_ACKED} acknowledged ids, oldest first; guarded by {@code this}. */
    private final Set<String> recentlyAcked = new LinkedHashSet<>();
    private final List<String> pendingAcks = new ArrayList<>();
    /**
     * The last {@link #RECENTLY_ACKED} ids this member's consumers acknowledged, remembered at once rather than when
     * the ACK comes back through the group: a copy that arrives before it does (re-forwarded by a store member after
     * this connection failed over, while its ACKs were still on their way) is not delivered again. Guarded by
     * {@link #pendingAcks} (acknowledgers may hold session locks, so they never take {@code this}).
     */
    private final Set<String> consumedHere = new LinkedHashSet<>();
    private boolean flushScheduled;
    private volatile GroupView view;
    private final Set<String> observers = ConcurrentHashMap.newKeySet();
    private volatile boolean observing;

    public QueueProtocol(String group, Provider provider, LocalDelivery local, ScheduledExecutorService timer,
                         int maxHeld) {
        this.group = group;
        this.provider = provider;
        this.local = local;
        this.timer = timer;
        this.maxHeld = maxHeld;
        this.outbox = new ControlOutbox(group, provider, timer);
        this.answers = new CopyAnswers(outbox, timer, this::me);
        this.rounds = new ReplayRounds(group, answers, new ReplayRounds.Holdings() {
            @Override
            public boolean has(String id) {
                return held.containsKey(id) || recentlyAcked.contains(id);
            }

            @Override
            public void take(String id, SpreadMessage m, List<String> candidates) {
                QueueProtocol.this.take(id, m, candidates);
            }
        });
    }

    public String group() {
        return group;
    }

    private String me() {
        return provider.privateGroup();
    }

    /**
     * A queue message delivered by Spread in the current view. A message whose id this member holds, or saw
     * acknowledged recently, is a second copy (a producer re-sending after a failover) and is ignored: the first copy
     * is delivered or was consumed already. A copy of a message acknowledged recently is acknowledged again by the
     * member it would be assigned to (one member, the same at all): a store member that re-publishes or forwards an
     * acknowledged message missed that ACK (it was sent while the store member was on the other side of a
     * partition, or before it joined), and without a second one it would keep the message, and send it again, for
     * ever. A copy that a store member re-published into a named queue's group then goes through
     * {@link ReplayRounds} (rule 8).
     */
    public synchronized void onMessage(SpreadMessage m) {
        String id = m.getJMSMessageID();
        if (id == null || view == null) {
            LOG.warn("queue message without id or before the first view of {}: dropped", group);
            return;
        }
        boolean acked = recentlyAcked.contains(id) || consumedHere(id);
        if (acked && !held.containsKey(id)) {
            List<String> candidates = candidates(view);
            boolean mine = !candidates.isEmpty()
                    && QueueAssignment.assignee(new GroupView(group, null, candidates), m).equals(me());
            LOG.debug("queue {}: message {} from {} was acknowledged{}", group, id, m.getSpreadSender(),
                    mine ? ", acknowledged again" : "");
            if (mine) {
                acknowledge(id);
            }
        }
        if (StoreMembers.isStoreMember(m.getSpreadSender()) && !DurableSubscriptions.isGroup(group)) {
            rounds.onCopy(id, m, view);
            return;
        }
        if (held.containsKey(id) || acked) {
            LOG.debug("queue {}: message {} from {} is already held or was acknowledged; ignored", group, id,
                    m.getSpreadSender());
            return;
        }
        take(id, m, candidates(view));
    }

    /** A message nobody here held: held with {@code candidates}, delivered here if this member is its assignee. */
    private void take(String id, SpreadMessage m, List<String> candidates) {
        if (held.size() >= maxHeld) {
            Iterator<Map.Entry<String, Held>> it = held.entrySet().iterator();
            Map.Entry<String, Held> oldest = it.next();
            it.remove();
            parked.remove(oldest.getKey());
            LOG.warn("queue {} holds {} unacknowledged messages: forgot {} (no redelivery for it)", group, maxHeld,
                    oldest.getKey());
        }
        // observers stay candidates: what each member knows of observers depends on when it joined, the view does
        // not. An observer declines what it is assigned (it has no consumer), so the message moves on.
        // Store members never are: they keep the queue's messages but take none (every member sees the same view).
        Held h = new Held(m, candidates);
        held.put(id, h);
        assign(id, h, false);
    }

    /** A control message from a member (this one included), in the group's order. */
    public synchronized void onControl(QueueControl c) {
        switch (c.kind()) {
            case HOLDS, LACKS -> rounds.onAnswer(c);
            case OBSERVER -> observers.add(c.member());
            case CONSUMER -> observers.remove(c.member());
            case ACK -> {
                for (String id : c.ids()) {
                    held.remove(id);
                    parked.remove(id);
                    rememberAcked(id);
                }
            }
            case DECLINE, RELEASE -> {
                for (String id : c.ids()) {
                    Held h = held.get(id);
                    if (h != null) {
                        h.candidates.remove(c.member());
                        assign(id, h, c.kind() == QueueControl.Kind.RELEASE);
                    }
                }
            }
        }
    }

    /** A regular membership of the group: reassign what the members that left did not acknowledge. */
    public synchronized void onView(GroupView next) {
        observers.retainAll(next.members());
        GroupView before = view;
        synchronized (this) {
            this.view = next;
            notifyAll();
        }
        if (observing && before != null && next.members().size() > before.members().size()) {
            // a member joined: it has not seen our announcement, repeat it
            outbox.post(new QueueControl(QueueControl.Kind.OBSERVER, me(), List.of()));
        }
        for (Iterator<Map.Entry<String, Held>> it = held.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Held> e = it.next();
            Held h = e.getValue();
            // members that left can never take a message again, whoever holds it now
            h.candidates.retainAll(next.members());
            if (h.candidates.isEmpty()) {
                it.remove();
                parked.remove(e.getKey());
                if (h.assignee != null && !next.contains(h.assignee)) {
                    LOG.warn("queue {}: no member can take message {} any more; dropped", group, e.getKey());
                }
            } else if (h.assignee != null && !next.contains(h.assignee)) {
                reassign(e.getKey(), h, true);
            }
        }
        rounds.onView(next);
    }

    /** The members of {@code v} that may take a message: all but store members. */
    static List<String> candidates(GroupView v) {
        List<String> out = new ArrayList<>(v.members().size());
        for (String member : v.members()) {
            if (!StoreMembers.isStoreMember(member)) {
                out.add(member);
            }
        }
        return out;
    }

    private boolean consumedHere(String id) {
        synchronized (pendingAcks) {
            return consumedHere.contains(id);
        }
    }

    private void rememberAcked(String id) {
        if (recentlyAcked.add(id) && recentlyAcked.size() > RECENTLY_ACKED) {
            Iterator<String> it = recentlyAcked.iterator();
            it.next();
            it.remove();
        }
    }

    private void assign(String id, Held h, boolean redeliver) {
        if (h.candidates.isEmpty()) {
            held.remove(id);
            LOG.warn("queue {}: no member can take message {} any more; dropped", group, id);
            return;
        }
        reassign(id, h, redeliver);
    }

    private void reassign(String id, Held h, boolean redeliver) {
        if (redeliver) {
            // at every member, so a message whose next assignee fails too counts on (2, 3, ...)
            h.message = MessageCopies.redelivered(h.message);
        }
        h.assignee = QueueAssignment.assignee(new GroupView(group, null, h.candidates), h.message);
        if (!h.assignee.equals(me())) {
            return;
        }
        SpreadMessage copy = MessageCopies.readOnly(h.message);
        if (!local.deliver(copy)) {
            decline(id);
        }
    }

    /** A local consumer consumed a message: tell the members (batched, within a few milliseconds). */
    public void acknowledge(String id) {
        // callers may hold session locks that the dispatcher thread needs: only record here, send from the timer
        synchronized (pendingAcks) {
            pendingAcks.add(id);
            if (consumedHere.add(id) && consumedHere.size() > RECENTLY_ACKED) {
                Iterator<String> it = consumedHere.iterator();
                it.next();
                it.remove();
            }
            if (pendingAcks.size() >= ACK_BATCH) {
                flushScheduled = true;
                timer.execute(this::postAcks);
            } else if (!flushScheduled) {
                flushScheduled = true;
                timer.schedule(this::postAcks, ACK_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void postAcks() {
        List<String> ids;
        synchronized (pendingAcks) {
            flushScheduled = false;
            if (pendingAcks.isEmpty()) {
                return;
            }
            ids = new ArrayList<>(pendingAcks);
            pendingAcks.clear();
        }
        outbox.post(new QueueControl(QueueControl.Kind.ACK, me(), ids));
    }

    /**
     * Sends the pending ACKs now and waits (at most {@code max}) until every control message queued so far went out:
     * before this member leaves the group, so the others see its ACKs before its LEAVE.
     */
    public boolean flushAcks(Duration max) {
        postAcks();
        answers.flush();
        return outbox.flush(max);
    }

    /**
     * This connection will not deliver a message it took: the members reassign it without this one, unless this one
     * is its last candidate (a DECLINE would drop it): then it is parked for the next local consumer.
     */
    public void decline(String id) {
        giveBack(QueueControl.Kind.DECLINE, id);
    }

    /**
     * The application received a message and will not acknowledge it (its session closed): like {@link #decline},
     * but the next delivery is marked redelivered.
     */
    public void release(String id) {
        giveBack(QueueControl.Kind.RELEASE, id);
    }

    private synchronized void giveBack(QueueControl.Kind kind, String id) {
        Held h = held.get(id);
        String me = me();
        if (h != null && h.candidates.size() == 1 && h.candidates.get(0).equals(me)) {
            parked.add(id);
            LOG.debug("queue {}: parked message {} (no other member can take it)", group, id);
            return;
        }
        outbox.post(new QueueControl(kind, me, List.of(id)));
    }

    /**
     * Offers the parked messages to the local consumers again (one was added), marked redelivered; what none takes
     * stays parked.
     */
    public synchronized void unpark() {
        for (Iterator<String> it = parked.iterator(); it.hasNext(); ) {
            String id = it.next();
            Held h = held.get(id);
            if (h == null) {
                it.remove();
                continue;
            }
            SpreadMessage copy = MessageCopies.redelivered(h.message);
            if (local.deliver(copy)) {
                h.message = copy; // a later redelivery counts on from here
                it.remove();
            }
        }
    }

    /** Messages parked here for want of a local consumer. */
    public synchronized int parkedCount() {
        return parked.size();
    }

    /**
     * Makes this connection an observer of the queue (it watches for consumers and takes no messages: whatever is
     * assigned to it is declined, as it has no consumer) or a consumer again. The announcement only tells the other
     * members who consumes, for their {@link #hasConsumers} checks; observers repeat it when a member joins.
     */
    public void observe(boolean on) {
        if (observing != on) {
            observing = on;
            outbox.post(new QueueControl(on ? QueueControl.Kind.OBSERVER : QueueControl.Kind.CONSUMER, me(),
                    List.of()));
        }
    }

    public boolean isObserving() {
        return observing;
    }

    /**
     * Whether any member other than observers (and this connection, if it observes) is in the group's view, waiting
     * up to {@code timeout} for the first view after this connection joined.
     */
    public boolean hasConsumers(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (view == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        GroupView v = view;
        if (v == null) {
            return false;
        }
        String me = me();
        return v.members().stream().anyMatch(m -> !observers.contains(m) && !(observing && m.equals(me))
                && !StoreMembers.isStoreMember(m));
    }

    /** Messages held for redelivery (dispatcher thread, or tests). */
    public synchronized int heldCount() {
        return held.size();
    }

    /** Stops sending control messages: this member left the group. */
    public void close() {
        outbox.close();
    }
}
