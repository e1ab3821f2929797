package org.spreadjms.jms.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
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

/**
 * One connection's part in the competing-consumer protocol of one named queue or shared subscription (see
 * docs/queue-protocol.md): holds every queue message until some member acknowledges it, delivers the ones assigned
 * to this connection, and reassigns unacknowledged messages when a member leaves.
 *
 * <p>Threads: {@link #onMessage}, {@link #onControl} and {@link #onView} run on the provider's dispatcher thread, in
 * delivery order, and never send. {@link #acknowledge}, {@link #decline} and {@link #observe} may be called from any
 * thread and only queue control messages; those go out from the connection's timer thread ({@link ControlOutbox}).
 */
public final class QueueProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(QueueProtocol.class);
    private static final int ACK_BATCH = 128;
    private static final long ACK_DELAY_MILLIS = 5;

    /** Hands a message assigned to this connection to one local consumer. Called on the dispatcher thread. */
    public interface LocalDelivery {
        /** @return false when no local consumer accepts {@code m} (it is then declined) */
        boolean deliver(SpreadMessage m);
    }

    private static final class Held {
        /** As delivered next: marked redelivered, with its count, once a view change reassigned it. */
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
    /** Dispatcher thread only. */
    private final Map<String, Held> held = new LinkedHashMap<>();
    private final List<String> pendingAcks = new ArrayList<>();
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
    }

    public String group() {
        return group;
    }

    private String me() {
        return provider.privateGroup();
    }

    /** A queue message delivered by Spread in the current view. */
    public void onMessage(SpreadMessage m) {
        String id = m.getJMSMessageID();
        if (id == null || view == null) {
            LOG.warn("queue message without id or before the first view of {}: dropped", group);
            return;
        }
        if (held.size() >= maxHeld) {
            Iterator<Map.Entry<String, Held>> it = held.entrySet().iterator();
            Map.Entry<String, Held> oldest = it.next();
            it.remove();
            LOG.warn("queue {} holds {} unacknowledged messages: forgot {} (no redelivery for it)", group, maxHeld,
                    oldest.getKey());
        }
        // observers stay candidates: what each member knows of observers depends on when it joined, the view does
        // not. An observer declines what it is assigned (it has no consumer), so the message moves on.
        Held h = new Held(m, view.members());
        held.put(id, h);
        assign(id, h, false);
    }

    /** A control message from a member (this one included), in the group's order. */
    public void onControl(QueueControl c) {
        switch (c.kind()) {
            case OBSERVER -> observers.add(c.member());
            case CONSUMER -> observers.remove(c.member());
            case ACK -> c.ids().forEach(held::remove);
            case DECLINE -> {
                for (String id : c.ids()) {
                    Held h = held.get(id);
                    if (h != null) {
                        h.candidates.remove(c.member());
                        assign(id, h, false);
                    }
                }
            }
        }
    }

    /** A regular membership of the group: reassign what the members that left did not acknowledge. */
    public void onView(GroupView next) {
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
                if (h.assignee != null && !next.contains(h.assignee)) {
                    LOG.warn("queue {}: no member can take message {} any more; dropped", group, e.getKey());
                }
            } else if (h.assignee != null && !next.contains(h.assignee)) {
                reassign(e.getKey(), h, true);
            }
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
            // every member counts it, so a later crash or DECLINE carries the flag and the count on
            h.message = MessageCopies.redelivered(h.message);
        }
        h.assignee = QueueAssignment.assignee(new GroupView(group, null, h.candidates), h.message);
        if (!h.assignee.equals(me())) {
            return;
        }
        if (!local.deliver(MessageCopies.readOnly(h.message))) {
            decline(id);
        }
    }

    /** A local consumer consumed a message: tell the members (batched, within a few milliseconds). */
    public void acknowledge(String id) {
        // callers may hold session locks that the dispatcher thread needs: only record here, send from the timer
        synchronized (pendingAcks) {
            pendingAcks.add(id);
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
        return outbox.flush(max);
    }

    /** This connection will not deliver a message it took: the members reassign it without this one. */
    public void decline(String id) {
        outbox.post(new QueueControl(QueueControl.Kind.DECLINE, me(), List.of(id)));
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
        return v.members().stream().anyMatch(m -> !observers.contains(m) && !(observing && m.equals(me)));
    }

    /** Messages held for redelivery (dispatcher thread, or tests). */
    public int heldCount() {
        return held.size();
    }

    /** Stops sending control messages: this member left the group. */
    public void close() {
        outbox.close();
    }
}
