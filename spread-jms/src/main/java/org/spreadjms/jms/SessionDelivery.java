package org.spreadjms.jms;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.jms.JMSException;
import jakarta.jms.MessageListener;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.Session;

import org.spreadjms.jms.message.AcknowledgeCallback;
import org.spreadjms.jms.message.Expiry;
import org.spreadjms.jms.message.MessageCopies;
import org.spreadjms.jms.message.SpreadMessage;
import org.spreadjms.jms.routing.MessageBuffer;

/**
 * Delivery inside one session: the consumers' buffers, synchronous receive, the session's single listener thread
 * (and direct dispatch on the connection's dispatcher thread), and the messages delivered but not yet acknowledged
 * (for CLIENT_ACKNOWLEDGE, recover and transactions). A listener call and its outcome are {@link ListenerCalls}';
 * acknowledging, redelivering and releasing the unacknowledged messages is {@link SessionAcknowledgements}'.
 *
 * <p>One lock guards all of it, shared with those two. Listener callbacks run on the thread
 * {@code spread-jms-session-N}, one at a time, and only while the connection is started, as the specification
 * requires of a session.
 */
final class SessionDelivery implements Runnable {
    private static final ThreadLocal<SessionDelivery> IN_LISTENER = new ThreadLocal<>();

    private final SessionContext ctx;
    private final int mode;
    private final int sessionId;
    private final AcknowledgeCallback acknowledgeCallback;
    private final ConnectionState connectionState;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<SpreadMessageConsumer> listenerConsumers = new ArrayList<>();
    /** Guarded by the lock. */
    private final DeliveredMessages delivered = new DeliveredMessages();
    private final SessionAcknowledgements acknowledgements;
    private final ListenerCalls listenerCalls;
    private Thread thread;
    private boolean closed;
    private boolean inListener;
    private int next;
    /**
     * Guarded by the lock: the dispatcher thread buffered messages here without signalling, and the connection wakes
     * this session at its next {@link ConnectionConsumers#dispatcherIdle()}.
     */
    private boolean wakeDeferred;

    SessionDelivery(SessionContext ctx, int mode, int sessionId, AcknowledgeCallback acknowledgeCallback) {
        this.ctx = ctx;
        this.mode = mode;
        this.sessionId = sessionId;
        this.acknowledgeCallback = acknowledgeCallback;
        this.connectionState = ctx.state();
        this.acknowledgements = new SessionAcknowledgements(ctx, this, lock, changed, delivered);
        this.listenerCalls = new ListenerCalls(ctx, mode, lock, changed, delivered);
    }

    static SessionDelivery currentListenerSession() {
        return IN_LISTENER.get();
    }

    // ---- buffers

    /**
     * A message for {@code c} from the connection's dispatcher thread: with {@code alwaysSessionAsync=false} it may go
     * straight to the listener on this thread; otherwise (and whenever that is not possible) it is buffered.
     */
    void deliverFromDispatcher(SpreadMessageConsumer c, SpreadMessage m) {
        // not with queueNoConsumerPolicy=fail: a send waits for a queue's view, which only this thread can bring
        if (!ctx.delivery().directDispatch() || !deliverDirectly(c, m)) {
            // the listener thread is woken once per burst the dispatcher delivers, not once per message
            enqueue(c, m, ctx.consumers().defersWakeups());
        }
    }

    /**
     * Calls {@code c}'s listener with {@code m} on this (the dispatcher) thread if the session is the connection's only
     * one, acknowledges automatically, and nothing is buffered or being delivered; false if it did not.
     */
    private boolean deliverDirectly(SpreadMessageConsumer c, SpreadMessage m) {
        if ((mode != Session.AUTO_ACKNOWLEDGE && mode != Session.DUPS_OK_ACKNOWLEDGE)
                || ctx.openSessions().getAsInt() != 1) {
            return false;
        }
        MessageListener l;
        lock.lock();
        try {
            l = c.listener();
            if (l == null || closed || c.isClosedUnlocked() || inListener || !connectionState.isStarted()
                    || Expiry.expired(m) || !listenerConsumers.contains(c) || anythingBuffered()) {
                return false;
            }
            inListener = true;
            beforeDelivery(c, m, true);
        } finally {
            lock.unlock();
        }
        SessionDelivery outer = IN_LISTENER.get();
        IN_LISTENER.set(this);
        ctx.consumers().dispatcherIdle(); // nothing waits for a wake-up while application code runs here
        boolean wasInListener = ctx.consumers().dispatcherInListener(true);
        try {
            listenerCalls.call(c, m, l);
        } finally {
            ctx.consumers().dispatcherInListener(wasInListener);
            IN_LISTENER.set(outer);
            lock.lock();
            try {
                inListener = false;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
        return true;
    }

    private boolean anythingBuffered() {
        for (SpreadMessageConsumer lc : listenerConsumers) {
            if (!lc.buffer().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    void enqueue(SpreadMessageConsumer c, SpreadMessage m) {
        enqueue(c, m, false);
    }

    /**
     * Buffers {@code m} for {@code c}. With {@code deferWake} (the dispatcher thread, see
     * {@link ConnectionConsumers#defersWakeups()}) the waiting threads are not signalled now but at the connection's
     * next {@link ConnectionConsumers#dispatcherIdle()}.
     */
    private void enqueue(SpreadMessageConsumer c, SpreadMessage m, boolean deferWake) {
        List<SpreadMessage> declines = null;
        lock.lock();
        try {
            if (closed || c.isClosedUnlocked()) {
                declines = List.of(m);
                return;
            }
            MessageBuffer b = c.buffer();
            DeliverySettings settings = ctx.delivery();
            while (b.full(m, settings.bufferMessages(), settings.bufferBytes())) {
                SpreadMessage dropped = b.dropOldestArrival();
                String bounds = settings.bufferMessages() + " messages or " + settings.bufferBytes() + " bytes";
                if (c.drops().dropped(dropped.getJMSMessageID(), bounds)) {
                    ctx.problems().accept(new ResourceAllocationException("consumer on " + c.destination()
                            + " is too slow: its buffer is full (" + bounds + ", consumerBufferMessages/"
                            + "consumerBufferBytes), so the oldest messages are dropped until it catches up (counted"
                            + " by SpreadConsumerStatistics.getDroppedMessageCount())", "SPREADJMS_CONSUMER_DROPPED"));
                }
                if (declines == null) {
                    declines = new ArrayList<>();
                }
                declines.add(dropped);
            }
            b.addLast(m);
            if (!deferWake) {
                changed.signalAll();
            } else if (!wakeDeferred) {
                wakeDeferred = true;
                ctx.consumers().wakeWhenIdle(this);
            }
        } finally {
            lock.unlock();
            if (declines != null) {
                declines.forEach(d -> declined(c, d)); // never under the lock: the queue protocol's lock comes first
            }
        }
    }

    /** Signals the waiting threads if the dispatcher thread buffered messages here without signalling them. */
    void wakeDeferred() {
        lock.lock();
        try {
            if (wakeDeferred) {
                wakeDeferred = false;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next message for a synchronous consumer.
     *
     * @param timeoutNanos 0 = do not wait, negative = wait without bound
     * @return the message, or null on timeout or when the consumer is closed
     */
    SpreadMessage receive(SpreadMessageConsumer c, long timeoutNanos) throws JMSException {
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lock();
        try {
            while (true) {
                if (closed || c.isClosedUnlocked()) {
                    return null;
                }
                if (connectionState.isStarted()) {
                    SpreadMessage m = pollLive(c);
                    if (m != null) {
                        beforeDelivery(c, m, false);
                        return m;
                    }
                }
                connectionState.checkNotFailed();
                if (timeoutNanos == 0) {
                    return null;
                }
                long left = deadline - System.nanoTime();
                if (timeoutNanos > 0 && left <= 0) {
                    return null;
                }
                // wake periodically: start() and failure are signalled on the connection, not here
                changed.awaitNanos(timeoutNanos > 0 ? Math.min(left, TimeUnit.MILLISECONDS.toNanos(100))
                        : TimeUnit.MILLISECONDS.toNanos(100));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Before {@code m} reaches the application: delivery count, acknowledgement hook, unacknowledged list. */
    private void beforeDelivery(SpreadMessageConsumer c, SpreadMessage m, boolean toListener) {
        if (m.getDeliveryCount() == 0) {
            // a message that arrives marked redelivered without a count (a store member's copy of a message that
            // may have been received before) counts as a second delivery
            m.setDeliveryCount(m.getJMSRedelivered() ? 2 : 1);
        }
        m.setAcknowledgeCallback(acknowledgeCallback);
        if (mode == Session.CLIENT_ACKNOWLEDGE || mode == Session.SESSION_TRANSACTED) {
            delivered.add(c, m);
        } else if (!toListener) {
            acknowledge(c, m); // AUTO and DUPS_OK: a synchronous receive acknowledges as it returns
        }
    }

    /**
     * A queue or shared-subscription message this session will not deliver: the other members reassign it. Never
     * called under the lock.
     */
    private void declined(SpreadMessageConsumer c, SpreadMessage m) {
        ctx.consumers().declined(c.registration(), m);
    }

    /** Tells a named queue's or shared subscription's members that {@code m} was consumed. */
    private void acknowledge(SpreadMessageConsumer c, SpreadMessage m) {
        ctx.consumers().acknowledged(c.registration(), m);
    }

    private SpreadMessage pollLive(SpreadMessageConsumer c) {
        MessageBuffer b = c.buffer();
        while (!b.isEmpty()) {
            SpreadMessage m = b.pollFirst();
            if (!Expiry.expired(m)) {
                return m;
            }
            acknowledge(c, m); // expired: consumed by nobody, but done with
        }
        c.drops().caughtUp();
        return null;
    }

    // ---- listeners

    void listenerChanged(SpreadMessageConsumer c, MessageListener l) {
        lock.lock();
        try {
            listenerConsumers.remove(c);
            if (l != null) {
                listenerConsumers.add(c);
                if (thread == null && !closed) {
                    thread = new Thread(this, "spread-jms-session-" + sessionId);
                    thread.setDaemon(true);
                    thread.start();
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void run() {
        IN_LISTENER.set(this);
        try {
            while (true) {
                SpreadMessageConsumer c;
                SpreadMessage m;
                MessageListener l;
                lock.lock();
                try {
                    Object[] picked;
                    while ((picked = pickForListener()) == null) {
                        if (closed) {
                            return;
                        }
                        changed.await();
                    }
                    c = (SpreadMessageConsumer) picked[0];
                    m = (SpreadMessage) picked[1];
                    l = (MessageListener) picked[2];
                    inListener = true;
                    beforeDelivery(c, m, true);
                } finally {
                    lock.unlock();
                }
                try {
                    listenerCalls.call(c, m, l);
                } finally {
                    lock.lock();
                    try {
                        inListener = false;
                        changed.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            IN_LISTENER.remove();
        }
    }

    private Object[] pickForListener() {
        // inListener here means the dispatcher thread runs a listener directly (alwaysSessionAsync=false): wait
        if (closed || inListener || !connectionState.isStarted() || listenerConsumers.isEmpty()) {
            return null;
        }
        int n = listenerConsumers.size();
        for (int i = 0; i < n; i++) {
            SpreadMessageConsumer c = listenerConsumers.get((next + i) % n);
            MessageListener l = c.listener();
            if (l == null) {
                continue; // being set to null: its listenerChanged call removes it from the list
            }
            SpreadMessage m = pollLive(c);
            if (m != null) {
                next = (next + i + 1) % n;
                return new Object[] {c, m, l};
            }
        }
        return null;
    }

    /** Waits until no listener callback is running (connection stop and close). */
    void awaitListenerIdle() {
        if (IN_LISTENER.get() == this) {
            return;
        }
        lock.lock();
        try {
            while (inListener) {
                changed.awaitNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    // ---- acknowledgement, recovery, transactions

    /** Acknowledging, redelivering and releasing the messages delivered and not acknowledged. */
    SessionAcknowledgements acknowledgements() {
        return acknowledgements;
    }

    /**
     * A message received but not consumed (JMSConsumer.receiveBody of the wrong type): in AUTO and DUPS_OK mode it
     * goes back in front of the consumer's buffer, unchanged (specification 8.6: not a redelivery); in
     * CLIENT_ACKNOWLEDGE and transacted mode it counts as delivered and stays unacknowledged, so recover or rollback
     * brings it back.
     */
    void returnUnconsumed(SpreadMessageConsumer c, SpreadMessage m) {
        if (mode != Session.AUTO_ACKNOWLEDGE && mode != Session.DUPS_OK_ACKNOWLEDGE) {
            return;
        }
        lock.lock();
        try {
            if (!closed && !c.isClosedUnlocked()) {
                // "as if the call had not occurred": not a redelivery, so neither JMSRedelivered nor a higher count
                c.buffer().addFirst(MessageCopies.readOnly(m));
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Detaches a closing consumer; returns the messages it had buffered and not delivered. */
    List<SpreadMessage> consumerClosed(SpreadMessageConsumer c) {
        lock.lock();
        try {
            List<SpreadMessage> left = c.buffer().drain();
            listenerConsumers.remove(c);
            changed.signalAll();
            return left;
        } finally {
            lock.unlock();
        }
    }

    /** The connection this session belongs to, as an identity. */
    Object owner() {
        return ctx.owner();
    }

    ReentrantLock lock() {
        return lock;
    }

    void close() {
        acknowledgements.releaseUnacknowledged();
        Thread t;
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            t = thread;
        } finally {
            lock.unlock();
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
