package org.spreadjms.jms;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Topic;

import org.spreadjms.jms.destination.SpreadDestination;
import org.spreadjms.jms.errors.JmsErrors;
import org.spreadjms.jms.message.MessageSelector;
import org.spreadjms.jms.routing.ConsumerRegistration;

/**
 * The consumers of one session: creates them (plain, shared, durable), registers them with the connection, and keeps
 * the open ones for the session's close. Thread-safe; the caller checks that the session is open.
 */
final class SessionConsumers {
    private final SpreadSession session;
    private final SessionContext ctx;
    private final List<SpreadMessageConsumer> open = new CopyOnWriteArrayList<>();

    SessionConsumers(SpreadSession session, SessionContext ctx) {
        this.session = session;
        this.ctx = ctx;
    }

    /** A consumer of {@code destination}; with {@code sharedName}, of that shared (non-durable) subscription. */
    SpreadMessageConsumer create(Destination destination, String messageSelector, boolean noLocal, String sharedName)
            throws JMSException {
        if (destination == null) {
            throw new InvalidDestinationException("a consumer needs a destination (got null)");
        }
        SpreadDestination d = Destinations.resolve(destination);
        ctx.temporaries().checkOwned(d);
        return register(new ConsumerRegistration(ctx.consumers().nextId(), d, sharedName,
                MessageSelector.parse(messageSelector), noLocal));
    }

    /**
     * A consumer of a durable subscription, which the store members create (or keep) first: it takes the messages
     * they kept and forward, in their order, from the subscription's group (docs/store-protocol.md).
     */
    SpreadMessageConsumer durable(Topic topic, String name, String messageSelector, boolean noLocal, boolean shared)
            throws JMSException {
        MessageSelector selector = MessageSelector.parse(messageSelector);
        SpreadDestination d = topic == null ? null : Destinations.resolve(topic);
        String group = new DurableSubscribing(ctx).subscribe(d, name, messageSelector, noLocal, shared);
        return register(new ConsumerRegistration(ctx.consumers().nextId(), d, shared ? name : null, selector,
                noLocal, group));
    }

    private SpreadMessageConsumer register(ConsumerRegistration r) throws JMSException {
        SpreadDestination d = r.destination();
        SpreadMessageConsumer c = new SpreadMessageConsumer(session, ctx, r);
        open.add(c);
        try {
            ctx.consumers().add(c);
        } catch (JMSSecurityException e) {
            open.remove(c);
            throw JmsErrors.accessRefused("receive from", d, e);
        } catch (JMSException | RuntimeException e) {
            open.remove(c);
            throw e;
        }
        return c;
    }

    void closed(SpreadMessageConsumer c) {
        open.remove(c);
    }

    /** Closes every open consumer (the session closes). */
    void closeAll() throws JMSException {
        for (SpreadMessageConsumer c : open) {
            c.close();
        }
    }
}
