package org.spreadjms.jms;

import java.time.Duration;
import java.util.List;

import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;

import org.spreadjms.client.ServiceType;
import org.spreadjms.jms.destination.SpreadDestination;
import org.spreadjms.jms.queue.DurableSubscriptions;
import org.spreadjms.jms.store.StoreControlCodec;
import org.spreadjms.jms.store.StoreFrame;

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
        String what = "create durable subscription '" + name + "'";
        String sel = selector == null ? "" : selector.trim();
        if (sel.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > StoreControlCodec.SELECTOR_MAX) {
            throw new InvalidSelectorException("the selector of durable subscription '" + name + "' has more than "
                    + StoreControlCodec.SELECTOR_MAX + " bytes (UTF-8), the most a store member keeps");
        }
        String subscriber = ctx.provider().privateGroup();
        StoreRequest r = StoreRequest.ask(ctx, id -> new StoreFrame.Subscribe(id, group, topic.getName(),
                topic.spreadGroup(), subscriber, noLocal, shared, sel), ServiceType.SAFE, false, timeout(), what);
        List<StoreFrame> answers = answered(r, what);
        for (StoreFrame f : answers) {
            if (((StoreFrame.Subscribed) f).status() == StoreFrame.SubscribeStatus.ACTIVE) {
                throw new IllegalStateException("durable subscription '" + name + "' has a consumer already (on"
                        + " another connection), so it cannot get another" + (shared ? "" : " (it is not shared)")
                        + " or change its topic, selector or noLocal");
            }
        }
        if (!r.complete()) {
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
        String what = "delete durable subscription '" + name + "'";
        String requester = ctx.provider().privateGroup();
        StoreRequest r = StoreRequest.ask(ctx, id -> new StoreFrame.Unsubscribe(id, group, requester),
                ServiceType.SAFE, true, timeout(), what);
        StoreFrame.Unsubscribed u = (StoreFrame.Unsubscribed) answered(r, what).get(0);
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

    private Duration timeout() {
        return ctx.send().storeTimeout();
    }

    /** The answers of {@code r}; none is an error naming storeGroup. */
    private List<StoreFrame> answered(StoreRequest r, String what) throws JMSException {
        if (r.answers().isEmpty()) {
            throw new JMSException("no store member answered within " + timeout().toMillis() + " ms when asked to "
                    + what + ": durable subscriptions are kept by store members (spread store); is one running"
                    + " with control group '" + ctx.send().storeGroup() + "' (storeGroup)?");
        }
        return r.answers();
    }
}
