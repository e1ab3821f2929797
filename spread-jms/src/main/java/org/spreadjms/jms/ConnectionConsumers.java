package org.spreadjms.jms;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.jms.JMSException;

import org.spreadjms.jms.message.SpreadMessage;
import org.spreadjms.jms.routing.AcknowledgementSink;
import org.spreadjms.jms.routing.ConsumerRegistration;
import org.spreadjms.jms.routing.ConsumerRouting;
import org.spreadjms.jms.routing.ConsumerSink;

/**
 * The live consumers of one connection, by id: the router delivers to them through {@link #deliver}, never holding
 * a consumer itself. Registering a consumer here also registers it with the routing (which joins its groups).
 */
final class ConnectionConsumers implements ConsumerSink, AcknowledgementSink {
    private final Map<Long, SpreadMessageConsumer> live = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile ConsumerRouting routing;
    private volatile TemporaryDestinations temporaries;
    /** Sessions given messages on the dispatcher thread and not woken yet; guarded by itself. */
    private final List<SessionDelivery> toWake = new ArrayList<>();
    /**
     * True while the dispatcher thread runs a listener itself ({@code alwaysSessionAsync=false}): what that listener
     * causes to be delivered wakes its session at once. Read and written by the dispatcher thread only.
     */
    private boolean dispatcherInListener;

    /** Completes the wiring once the routing exists (it needs this object as its sink first). */
    void attach(ConsumerRouting routing, TemporaryDestinations temporaries) {
        this.routing = routing;
        this.temporaries = temporaries;
    }

    /** Live consumers of the durable subscription whose group is {@code group}. */
    long durableConsumers(String group) {
        return live.values().stream().filter(c -> group.equals(c.registration().durableGroup())).count();
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    /** Makes {@code c} live: returns once its groups are joined. On failure it is not registered. */
    void add(SpreadMessageConsumer c) throws JMSException {
        ConsumerRegistration r = c.registration();
        temporaries.consumerAdded(r.destination());
        live.put(r.id(), c);
        try {
            routing.addConsumer(r);
        } catch (JMSException | RuntimeException e) {
            live.remove(r.id());
            temporaries.consumerRemoved(r.destination());
            throw e;
        }
    }

    /** Removes {@code c}; {@code buffered} are messages it held and did not deliver (a queue's go elsewhere). */
    void remove(SpreadMessageConsumer c, List<SpreadMessage> buffered) {
        ConsumerRegistration r = c.registration();
        if (live.remove(r.id()) == null) {
            return;
        }
        temporaries.consumerRemoved(r.destination());
        routing.removeConsumer(r, buffered);
    }

    @Override
    public boolean deliver(long consumerId, SpreadMessage m) {
        SpreadMessageConsumer c = live.get(consumerId);
        return c != null && c.offer(m);
    }

    @Override
    public void acknowledged(ConsumerRegistration c, SpreadMessage m) {
        routing.acknowledged(c, m);
    }

    /** Writes the pending ACKs of these consumers' queue groups to the daemon, waiting for that (bounded). */
    void flushAcks(Collection<ConsumerRegistration> consumers) {
        routing.flushAcks(consumers);
    }

    @Override
    public void declined(ConsumerRegistration c, SpreadMessage m) {
        routing.declined(c, m);
    }

    @Override
    public void released(ConsumerRegistration c, SpreadMessage m) {
        routing.released(c, m);
    }

    /**
     * Whether a session given a message on the dispatcher thread leaves the wake-up to {@link #dispatcherIdle()}
     * (one wake-up per burst of messages instead of one per message). Call on the dispatcher thread only.
     */
    boolean defersWakeups() {
        return !dispatcherInListener && routing.defersWakeups();
    }

    /** Wakes {@code s} at the next {@link #dispatcherIdle()}. */
    void wakeWhenIdle(SessionDelivery s) {
        synchronized (toWake) {
            toWake.add(s);
        }
    }

    /** The dispatcher thread runs a listener itself ({@code true}) or has returned from it; returns the old value. */
    boolean dispatcherInListener(boolean running) {
        boolean was = dispatcherInListener;
        dispatcherInListener = running;
        return was;
    }

    @Override
    public void dispatcherIdle() {
        SessionDelivery[] wake;
        synchronized (toWake) {
            if (toWake.isEmpty()) {
                return;
            }
            wake = toWake.toArray(new SessionDelivery[0]);
            toWake.clear();
        }
        for (SessionDelivery s : wake) {
            s.wakeDeferred();
        }
    }

    /** Whether the calling thread is the connection's dispatcher thread, routing a message. */
    boolean onDispatcherThread() {
        return routing.onDispatcherThread();
    }

    ConsumerRouting routing() {
        return routing;
    }
}
