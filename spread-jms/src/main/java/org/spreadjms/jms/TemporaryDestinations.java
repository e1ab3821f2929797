package org.spreadjms.jms;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.jms.destination.SpreadDestination;
import org.spreadjms.jms.destination.SpreadTemporaryQueue;
import org.spreadjms.jms.destination.SpreadTemporaryTopic;
import org.spreadjms.jms.routing.ConsumerRouting;

/**
 * The temporary queues and topics of one connection. A temporary queue is a sub-address of the connection's private
 * group; a temporary topic is a Spread group with a generated name. Both live until deleted or the connection closes,
 * and only this connection may consume from them.
 */
final class TemporaryDestinations {
    private static final Logger LOG = LoggerFactory.getLogger(TemporaryDestinations.class);

    private final ConsumerRouting router;
    private final AtomicInteger next = new AtomicInteger();
    private final Map<String, SpreadDestination> live = new ConcurrentHashMap<>();
    private final Map<String, Integer> consumers = new ConcurrentHashMap<>();

    TemporaryDestinations(ConsumerRouting router) {
        this.router = router;
    }

    SpreadTemporaryQueue createQueue() throws JMSException {
        String sub = "t" + next.incrementAndGet();
        String[] name = new String[1];
        SpreadTemporaryQueue q = new SpreadTemporaryQueue(router.privateGroup(), sub, () -> delete(name[0]));
        name[0] = q.getName();
        live.put(q.getName(), q);
        return q;
    }

    SpreadTemporaryTopic createTopic() throws JMSException {
        String sub = "t" + next.incrementAndGet();
        String[] name = new String[1];
        SpreadTemporaryTopic t = SpreadTemporaryTopic.create(router.privateGroup(), sub, () -> delete(name[0]));
        name[0] = t.getName();
        live.put(t.getName(), t);
        return t;
    }

    /** Only the creating connection may consume from a temporary destination, and only while it exists. */
    void checkOwned(SpreadDestination d) throws InvalidDestinationException {
        if (d.kind().isTemporary() && !live.containsKey(d.getName())) {
            throw new InvalidDestinationException("temporary destination " + d + " was not created by this"
                    + " connection, or was deleted");
        }
    }

    void consumerAdded(SpreadDestination d) {
        if (d.kind().isTemporary()) {
            consumers.merge(d.getName(), 1, Integer::sum);
        }
    }

    void consumerRemoved(SpreadDestination d) {
        if (d.kind().isTemporary()) {
            consumers.computeIfPresent(d.getName(), (k, v) -> v <= 1 ? null : v - 1);
        }
    }

    private void delete(String name) throws JMSException {
        if (consumers.getOrDefault(name, 0) > 0) {
            throw new jakarta.jms.IllegalStateException("temporary destination " + name + " still has consumers");
        }
        if (live.remove(name) != null) {
            router.dropMailbox(name);
        }
    }

    void closeAll() {
        for (String name : live.keySet()) {
            router.dropMailbox(name);
        }
        live.clear();
        LOG.debug("temporary destinations of {} removed", router.privateGroup());
    }
}
