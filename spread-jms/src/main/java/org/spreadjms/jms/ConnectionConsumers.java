package org.spreadjms.jms;

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

    /** Whether the calling thread is the connection's dispatcher thread, routing a message. */
    boolean onDispatcherThread() {
        return routing.onDispatcherThread();
    }

    ConsumerRouting routing() {
        return routing;
    }
}
