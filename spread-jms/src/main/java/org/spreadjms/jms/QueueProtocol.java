package org.spreadjms.jms;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.jms.JMSException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.membership.GroupView;
import org.spreadjms.jms.message.SpreadMessage;
import org.spreadjms.jms.provider.Provider;

/**
 * One connection's part in the competing-consumer protocol of one named queue (see docs/queue-protocol.md):
 * holds every queue message until some member acknowledges it, delivers the ones assigned to this connection, and
 * reassigns unacknowledged messages when a member leaves. {@link #onMessage}, {@link #onControl} and {@link #onView}
 * run on the provider's dispatcher thread and never send themselves; {@link #acknowledge} is called by application
 * threads, and control messages go out from those or from the connection's timer thread.
 */
final class QueueProtocol {
    /** Spread message type of ACK and DECLINE control messages in a queue group. */
    static final short CONTROL_MESS_TYPE = 0x534C;
    private static final byte ACK = 1;
    private static final byte DECLINE = 2;
    /** The sender only watches the queue (a producer checking for consumers): never a candidate. */
    private static final byte OBSERVER = 3;
    /** The sender has consumers again after observing. */
    private static final byte CONSUMER = 4;
    private static final int ACK_BATCH = 128;
    private static final long ACK_DELAY_MILLIS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(QueueProtocol.class);

    /** Delivers a message to one local consumer of the queue; false when no consumer accepts it. */
    interface LocalDelivery {
        boolean deliver(SpreadMessage m);
    }

    private static final class Held {
        final SpreadMessage message;
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
    private final Map<String, Held> held = new LinkedHashMap<>();
    private final List<String> pendingAcks = new ArrayList<>();
    private boolean flushScheduled;
    private volatile GroupView view;
    private final java.util.Set<String> observers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean observing;

    QueueProtocol(String group, Provider provider, LocalDelivery local, ScheduledExecutorService timer, int maxHeld) {
        this.group = group;
        this.provider = provider;
        this.local = local;
        this.timer = timer;
        this.maxHeld = maxHeld;
    }

    private String me() {
        return provider.privateGroup();
    }

    /** A queue message delivered by Spread in the current view. */
    void onMessage(SpreadMessage m) {
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

    /** An ACK or DECLINE from a member (this one included). */
    void onControl(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            byte kind = in.readByte();
            String member = in.readUTF();
            if (kind == OBSERVER) {
                observers.add(member);
            } else if (kind == CONSUMER) {
                observers.remove(member);
            }
            int n = in.readInt();
            if (n < 0 || n > payload.length) {
                throw new IOException("bad id count " + n);
            }
            for (int i = 0; i < n; i++) {
                String id = in.readUTF();
                if (kind == ACK) {
                    held.remove(id);
                } else if (kind == DECLINE) {
                    Held h = held.get(id);
                    if (h != null) {
                        h.candidates.remove(member);
                        assign(id, h, false);
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("malformed queue control message in {}: {}", group, e.getMessage());
        }
    }

    /** A regular membership of the queue group: reassign what the members that left did not acknowledge. */
    void onView(GroupView next) {
        observers.retainAll(next.members());
        GroupView before = view;
        synchronized (this) {
            this.view = next;
            notifyAll();
        }
        if (observing && before != null && next.members().size() > before.members().size()) {
            // a member joined: it has not seen our announcement, repeat it (from the timer: never send here)
            timer.execute(() -> send(OBSERVER, List.of()));
        }
        for (Map.Entry<String, Held> e : new ArrayList<>(held.entrySet())) {
            Held h = e.getValue();
            // members that left can never take a message again, whoever holds it now
            h.candidates.retainAll(next.members());
            if (h.assignee != null && !next.contains(h.assignee)) {
                assign(e.getKey(), h, true);
            } else if (h.candidates.isEmpty()) {
                held.remove(e.getKey());
            }
        }
    }

    private void assign(String id, Held h, boolean redeliver) {
        if (h.candidates.isEmpty()) {
            held.remove(id);
            LOG.warn("queue {}: no member can take message {} any more; dropped", group, id);
            return;
        }
        h.assignee = QueueAssignment.assignee(new GroupView(group, null, h.candidates), h.message);
        if (!h.assignee.equals(me())) {
            return;
        }
        SpreadMessage copy = redeliver ? Redelivery.redelivered(h.message) : MessageRouter.readOnlyCopy(h.message);
        if (!local.deliver(copy)) {
            // not on the dispatcher thread: a send may block on the socket
            timer.execute(() -> send(DECLINE, List.of(id)));
        }
    }

    /** A local consumer acknowledged a queue message: tell the members (batched). */
    void acknowledge(String id) {
        // callers may hold session locks that the dispatcher thread needs: only record here, send from the timer
        synchronized (pendingAcks) {
            pendingAcks.add(id);
            if (pendingAcks.size() >= ACK_BATCH) {
                flushScheduled = true;
                timer.execute(this::flushAcks);
            } else if (!flushScheduled) {
                flushScheduled = true;
                timer.schedule(this::flushAcks, ACK_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Sends the pending ACKs now (before leaving the group, and from the timer); never under a lock. */
    void flushAcks() {
        List<String> ids;
        synchronized (pendingAcks) {
            flushScheduled = false;
            if (pendingAcks.isEmpty()) {
                return;
            }
            ids = new ArrayList<>(pendingAcks);
            pendingAcks.clear();
        }
        send(ACK, ids);
    }

    /** This connection will not deliver a message it took: tell the members, who reassign it. */
    void decline(String id) {
        timer.execute(() -> send(DECLINE, List.of(id)));
    }

    private void send(byte kind, List<String> ids) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(kind);
                out.writeUTF(me());
                out.writeInt(ids.size());
                for (String id : ids) {
                    out.writeUTF(id);
                }
            }
            provider.send(List.of(group), ServiceType.AGREED, CONTROL_MESS_TYPE, bytes.toByteArray());
        } catch (IOException | JMSException | RuntimeException e) {
            LOG.warn("could not send a queue {} to {}: {}", kind == ACK ? "ACK" : "DECLINE", group, e.getMessage());
        }
    }

    /**
     * Makes this connection an observer of the queue (it watches for consumers and takes no messages: whatever is
     * assigned to it is declined, as it has no consumer) or a consumer again. The announcement only tells the other
     * members who consumes, for their {@link #hasConsumers} checks; observers repeat it when a member joins.
     */
    void observe(boolean on) {
        if (observing != on) {
            observing = on;
            send(on ? OBSERVER : CONSUMER, List.of());
        }
    }

    boolean isObserving() {
        return observing;
    }

    /**
     * Whether any member other than observers (and this connection, if it observes) is in the queue's view,
     * waiting up to {@code timeoutMillis} for the first view after this connection joined.
     */
    boolean hasConsumers(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (this) {
            while (view == null && System.currentTimeMillis() < deadline) {
                wait(Math.max(1, deadline - System.currentTimeMillis()));
            }
        }
        GroupView v = view;
        if (v == null) {
            return false;
        }
        String me = me();
        return v.members().stream().anyMatch(m -> !observers.contains(m) && !(observing && m.equals(me)));
    }

    int heldCount() {
        return held.size();
    }
}
