package org.spreadjms.jms.routing;

import org.spreadjms.jms.destination.SpreadDestination;
import org.spreadjms.jms.message.Expiry;
import org.spreadjms.jms.message.MessageSelector;
import org.spreadjms.jms.message.SpreadMessage;
import org.spreadjms.jms.queue.DurableSubscriptions;
import org.spreadjms.jms.queue.QueueAssignment;
import org.spreadjms.jms.queue.SharedSubscriptions;

/**
 * What the router knows of a consumer: an id to deliver to (through a {@link ConsumerSink}) and the immutable facts
 * that decide which messages it takes. The router never holds the consumer object itself. Equality is identity (ids
 * are unique within a connection). The queue-protocol group and competition key are computed once, not on every
 * acknowledgement.
 */
public final class ConsumerRegistration {
    private final long id;
    private final SpreadDestination destination;
    private final String sharedName;
    private final MessageSelector selector;
    private final boolean noLocal;
    private final String durableGroup;
    private final String protocolGroup;
    private final String competitionKey;

    /**
     * @param id          unique within the connection
     * @param destination where it consumes from
     * @param sharedName  the shared subscription's name, or null
     * @param selector    its message selector, or null
     * @param noLocal     whether it ignores messages sent by its own connection
     */
    public ConsumerRegistration(long id, SpreadDestination destination, String sharedName, MessageSelector selector,
                                boolean noLocal) {
        this(id, destination, sharedName, selector, noLocal, null);
    }

    /**
     * A consumer of a durable subscription: it takes messages from the subscription's group {@code durableGroup}
     * (the store members forward them there), never from the topic's group.
     */
    public ConsumerRegistration(long id, SpreadDestination destination, String sharedName, MessageSelector selector,
                                boolean noLocal, String durableGroup) {
        this.id = id;
        this.destination = destination;
        this.sharedName = sharedName;
        this.selector = selector;
        this.noLocal = noLocal;
        this.durableGroup = durableGroup;
        if (durableGroup != null) {
            this.protocolGroup = durableGroup;
            this.competitionKey = DurableSubscriptions.key(durableGroup);
        } else if (sharedName != null) {
            this.protocolGroup = SharedSubscriptions.groupOf(destination, sharedName);
            this.competitionKey = SharedSubscriptions.key(destination, sharedName);
        } else {
            this.protocolGroup = QueueAssignment.isGroupQueue(destination) ? QueueAssignment.groupOf(destination)
                    : null;
            this.competitionKey = destination.getName();
        }
    }

    public long id() {
        return id;
    }

    public SpreadDestination destination() {
        return destination;
    }

    public String sharedName() {
        return sharedName;
    }

    public MessageSelector selector() {
        return selector;
    }

    public boolean noLocal() {
        return noLocal;
    }

    /** The durable subscription's group, or null for a consumer that is not durable. */
    public String durableGroup() {
        return durableGroup;
    }

    /** Whether this consumer wants {@code m} (noLocal, expiry, selector); {@code me} is the connection's sender. */
    public boolean accepts(SpreadMessage m, String me) {
        // a durable subscription's noLocal is applied by the store members (the forwarded copy comes from them)
        if (noLocal && durableGroup == null && me != null && me.equals(m.getSpreadSender())) {
            return false;
        }
        if (Expiry.expired(m)) {
            return false;
        }
        return selector == null || selector.matches(m);
    }

    /** The group of the queue protocol this consumer takes part in (named queue, shared subscription), or null. */
    public String protocolGroup() {
        return protocolGroup;
    }

    /** The key of the consumers that compete for the same messages (a queue name, or a shared subscription). */
    public String competitionKey() {
        return competitionKey;
    }

    @Override
    public String toString() {
        return "ConsumerRegistration[" + id + ", " + destination + (sharedName != null ? ", shared " + sharedName : "")
                + (durableGroup != null ? ", durable " + durableGroup : "")
                + "]";
    }
}
