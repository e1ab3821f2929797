package org.spreadjms.jms;

import java.time.Duration;
import java.util.List;

import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;

import org.spreadjms.client.ServiceType;
import org.spreadjms.jms.destination.SpreadDestination;
import org.spreadjms.jms.errors.JmsErrors;
import org.spreadjms.jms.queue.DurableSubscriptions;
import org.spreadjms.jms.store.StoreControlCodec;
import org.spreadjms.jms.store.StoreFrame;
import org.spreadjms.jms.store.StoreReplies;

/**
 * Creates and deletes durable subscriptions at the store members (docs/store-protocol.md, "Durable subscriptions"):
 * a SUBSCRIBE or UNSUBSCRIBE to the store's control group ({@code storeGroup}), SAFE, and a wait of at most
 * {@code storeTimeout} for the answers. A subscription exists once every store member in view answered SUBSCRIBED
 * (each answers after it joined the topic's group, so every message sent after that is kept).
 */
final class DurableSubscribing {
    private final SessionContext ctx;

    DurableSubscribing(SessionContext ctx) {
        this.ctx = ctx;
    }

    /**
     * The group of subscription {@code name} on {@code topic}, created (or attached to) at every store member.
     *
     * @throws IllegalStateException an unshared subscription without client id, or one that has a consumer already
     */
    String subscribe(SpreadDestination topic, String name, String selector, boolean noLocal, boolean shared)
            throws JMSException {
        checkName(name);
        if (topic == null) {
            throw new InvalidDestinationException("a durable subscription needs a topic (got null)");
        }
        if (!topic.kind().isTopic() || topic.kind().isTemporary()) {
            throw new InvalidDestinationException("a durable subscription needs a topic that is not temporary (got "
                    + topic + ")");
        }
        String clientId = ctx.clientId();
        if (!shared && clientId == null) {
            throw new IllegalStateException("an unshared durable subscription ('" + name + "') needs the"
                    + " connection's client id: set it (setClientID, or the clientID URI option) first");
        }
        String group = DurableSubscriptions.groupOf(clientId, name);
        if (!shared && ctx.consumers().durableConsumers(group) > 0) {
            throw new IllegalStateException("durable subscription '" + name + "' already has a consumer (it is not"
                    + " shared)");
        }
        StoreReplies.Request r = replies().expect(false);
        send(new StoreFrame.Subscribe(r.id(), group, topic.getName(), topic.spreadGroup(),
                ctx.provider().privateGroup(), noLocal, shared, selector == null ? "" : selector.trim()), r);
        List<StoreFrame> answers = await(r, "create durable subscription '" + name + "'");
        for (StoreFrame f : answers) {
            if (((StoreFrame.Subscribed) f).status() == StoreFrame.SubscribeStatus.ACTIVE) {
                throw new IllegalStateException("durable subscription '" + name + "' has a consumer already (on"
                        + " another connection), so it cannot get another" + (shared ? "" : " (it is not shared)")
                        + " or change its topic, selector or noLocal");
            }
        }
        if (!r.isComplete()) {
            throw new JMSException("only " + answers.size() + " of " + r.storeMembers() + " store member(s)"
                    + " created durable subscription '" + name + "' within " + timeout().toMillis() + " ms");
        }
        return group;
    }

    /**
     * Deletes subscription {@code name} and its messages.
     *
     * @throws InvalidDestinationException no such subscription
     * @throws IllegalStateException       a consumer is attached to it
     */
    void unsubscribe(String name) throws JMSException {
        checkName(name);
        String group = DurableSubscriptions.groupOf(ctx.clientId(), name);
        if (ctx.consumers().durableConsumers(group) > 0) {
            throw new IllegalStateException("durable subscription '" + name + "' has an open consumer on this"
                    + " connection; close it before unsubscribing");
        }
        StoreReplies.Request r = replies().expect(true);
        send(new StoreFrame.Unsubscribe(r.id(), group, ctx.provider().privateGroup()), r);
        List<StoreFrame> answers = await(r, "delete durable subscription '" + name + "'");
        StoreFrame.Unsubscribed u = (StoreFrame.Unsubscribed) answers.get(0);
        switch (u.status()) {
            case UNKNOWN -> throw new InvalidDestinationException("no durable subscription '" + name + "'"
                    + (ctx.clientId() == null ? "" : " for client id '" + ctx.clientId() + "'"));
            case ACTIVE -> throw new IllegalStateException("durable subscription '" + name + "' has a consumer"
                    + " (on another connection); it cannot be deleted while a consumer is attached");
            case REMOVED -> {
            }
        }
    }

    private static void checkName(String name) throws JMSException {
        if (name == null || name.isEmpty()) {
            throw new InvalidDestinationException("a durable subscription needs a name (got "
                    + (name == null ? "null" : "''") + ")");
        }
    }

    private StoreReplies replies() {
        return ctx.consumers().routing().storeReceipts().replies();
    }

    private Duration timeout() {
        return ctx.send().storeTimeout();
    }

    private void send(StoreFrame frame, StoreReplies.Request r) throws JMSException {
        try {
            ctx.provider().send(List.of(ctx.send().storeGroup()), ServiceType.SAFE, StoreControlCodec.MESS_TYPE,
                    StoreControlCodec.encode(frame));
        } catch (IllegalArgumentException e) {
            r.cancel();
            throw JmsErrors.withCause(new InvalidDestinationException("cannot send " + frame.kind() + " to the"
                    + " store: " + e.getMessage()), e);
        } catch (JMSException | RuntimeException e) {
            r.cancel();
            throw e;
        }
    }

    private List<StoreFrame> await(StoreReplies.Request r, String what) throws JMSException {
        List<StoreFrame> answers;
        try {
            answers = r.await(timeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JmsErrors.jms("interrupted while waiting for the store members to " + what, e);
        }
        if (answers.isEmpty()) {
            throw new JMSException("no store member answered within " + timeout().toMillis() + " ms when asked to "
                    + what + ": durable subscriptions are kept by store members (spread store); is one running"
                    + " with control group '" + ctx.send().storeGroup() + "' (storeGroup)?");
        }
        return answers;
    }
}
