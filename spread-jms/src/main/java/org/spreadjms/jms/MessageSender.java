package org.spreadjms.jms;

import java.util.List;

import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.ServiceType;
import org.spreadjms.jms.destination.SpreadDestination;
import org.spreadjms.jms.destination.SpreadTemporaryQueue;
import org.spreadjms.jms.errors.JmsErrors;
import org.spreadjms.jms.message.MessageEnvelope;
import org.spreadjms.jms.message.SpreadMessage;
import org.spreadjms.jms.provider.Provider;
import org.spreadjms.jms.queue.QueueAssignment;
import org.spreadjms.jms.store.PersistentMessages;
import org.spreadjms.jms.store.StoreMembers;
import org.spreadjms.jms.store.StoreReceipts;

/**
 * Sends one message: sets the JMS headers on the application's message, encodes a copy into the envelope (or the raw
 * body for a {@code raw=true} destination), picks the Spread group(s) and the service type, and sends (or holds it
 * until commit). Shared by MessageProducer and JMSProducer.
 */
final class MessageSender {
    private static final Logger LOG = LoggerFactory.getLogger(MessageSender.class);

    /** Per-send settings. */
    record Options(int deliveryMode, int priority, long timeToLive, long deliveryDelay, boolean disableMessageId,
                   boolean disableTimestamp) {
    }

    private final SpreadSession session;
    private final Object producer;

    /** @param producer the producer sending, as an identity for {@link CompletionCallbacks} */
    MessageSender(SpreadSession session, Object producer) {
        this.session = session;
        this.producer = producer;
    }

    static void checkDeliveryMode(int mode) throws JMSException {
        if (mode != DeliveryMode.PERSISTENT && mode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSException("delivery mode " + mode + " is neither PERSISTENT (2) nor NON_PERSISTENT (1)");
        }
    }

    static void checkPriority(int priority) throws JMSException {
        if (priority < 0 || priority > 9) {
            throw new JMSException("priority " + priority + " is outside 0..9");
        }
    }

    void send(SpreadDestination dest, Message message, Options o, CompletionListener listener) throws JMSException {
        checkDeliveryMode(o.deliveryMode());
        checkPriority(o.priority());
        SessionContext ctx = session.context();
        ctx.state().checkNotFailed();
        if (ctx.send().failWithoutQueueConsumer() && QueueAssignment.isGroupQueue(dest)) {
            ctx.consumers().routing().requireQueueConsumer(dest);
        }
        long now = System.currentTimeMillis();
        message.setJMSDestination(dest);
        message.setJMSDeliveryMode(o.deliveryMode());
        message.setJMSPriority(o.priority());
        message.setJMSExpiration(o.timeToLive() > 0 ? now + o.timeToLive() : 0);
        message.setJMSTimestamp(o.disableTimestamp() ? 0 : now);
        message.setJMSDeliveryTime(now + Math.max(0, o.deliveryDelay()));
        boolean needsId = !o.disableMessageId() || QueueAssignment.isGroupQueue(dest) || dest.kind().isTopic();
        message.setJMSMessageID(needsId ? ctx.messageIds().next() : null);

        // the envelope is encoded now, so it is the snapshot: no copy of the application's message is needed
        SpreadMessage copy = message instanceof SpreadMessage s ? s : ForeignMessages.toSpread(message);
        MessageEnvelope.Encoded payload;
        short messType;
        if (Destinations.raw(dest)) {
            byte[] body = MessageEnvelope.rawBody(copy);
            payload = new MessageEnvelope.Encoded(body, body.length);
            messType = Destinations.rawMessType(dest);
        } else {
            payload = MessageEnvelope.encodeForSend(copy, target(dest));
            messType = MessageEnvelope.MESS_TYPE;
        }
        checkSize(ctx.provider(), dest, payload.length());
        ServiceType service = Destinations.serviceType(dest, o.deliveryMode() == DeliveryMode.PERSISTENT, ctx.send());
        List<String> groups = groups(dest);
        try {
            StoreWait store = storeWait(ctx, dest, groups, o, copy.getJMSMessageID(), payload.length());
            if (store != null) {
                // store members must see the messages of every sender in one order (docs/store-protocol.md)
                service = ServiceType.SAFE;
                // the store members get it through their control group too, so every one of them answers: for a
                // topic whether or not it has durable subscriptions (then they only acknowledge), for a queue
                // whether or not they kept it before (they start keeping it)
                groups = List.of(groups.get(0), ctx.send().storeGroup());
            }
            try {
                session.send(new PendingSend(groups, service, messType, payload, store));
            } catch (JMSSecurityException e) {
                throw JmsErrors.accessRefused("send to", dest, e);
            } catch (JMSException e) {
                throw naming(dest, groups, e);
            }
        } catch (JMSException | RuntimeException e) {
            if (listener != null) {
                complete(listener, message, e);
                return;
            }
            if (e instanceof JMSException j) {
                throw j;
            }
            throw (RuntimeException) e;
        }
        if (listener != null) {
            complete(listener, message, null);
        }
    }

    /**
     * What a send waits for from the store: with {@code storeAcks} set, a PERSISTENT message to a named queue or a
     * topic (enveloped, so that the store can read its id) waits for that many store members' STORED
     * acknowledgements.
     * Null for everything else.
     */
    private static StoreWait storeWait(SessionContext ctx, SpreadDestination dest, List<String> groups, Options o,
                                       String id, int length) throws JMSException {
        int acks = ctx.send().storeAcks();
        boolean storedKind = QueueAssignment.isGroupQueue(dest)
                || (dest.kind().isTopic() && !dest.kind().isTemporary() && groups.size() == 1);
        if (acks == 0 || o.deliveryMode() != DeliveryMode.PERSISTENT || !storedKind || Destinations.raw(dest)) {
            return null;
        }
        String presence = StoreMembers.presenceGroupOf(ctx.send().storeGroup());
        int present;
        try {
            present = ctx.consumers().routing().storePresence().storeMembers(presence);
        } catch (JMSSecurityException e) {
            if (dest.kind().isTopic()) {
                return null; // not allowed to use the store, so it keeps nothing for this user's topics either
            }
            throw JmsErrors.withCause(new JMSSecurityException("PERSISTENT message to " + dest + " with storeAcks"
                    + " needs to see the store members, but joining their presence group '" + presence + "' was"
                    + " refused (" + e.getMessage() + "): grant read on it, or set storeAcks=0"), e);
        }
        if (present == 0 && dest.kind().isTopic()) {
            if (!ctx.consumers().routing().storePresence().everSeen(presence)) {
                return null; // a deployment without store members: no durable subscription exists, nothing to keep
            }
            throw new JMSException("no store member is running to keep PERSISTENT message " + id + " to " + dest
                    + " for its durable subscriptions (there was one while this connection was open; storeAcks="
                    + (acks == SpreadJmsSettings.STORE_ACKS_ALL ? "all" : acks) + "): wait for it to come back, or"
                    + " set storeAcks=0 to send without a store");
        }
        if (length > PersistentMessages.MAX_MESSAGE_BYTES) {
            // larger than one Spread message is fine (fragments, put together by the store members), but not this
            throw new MessageFormatException("PERSISTENT message of " + length + " bytes (encoded) to " + dest
                    + " is larger than the " + PersistentMessages.MAX_MESSAGE_BYTES + " bytes a store member keeps"
                    + " (storeAcks is set): lower maxMessageBytes to at most that, or send it with storeAcks=0");
        }
        if (present == 0) {
            throw new JMSException("no store member is running to keep PERSISTENT message " + id + " to " + dest
                    + " (storeAcks=" + (acks == SpreadJmsSettings.STORE_ACKS_ALL ? "all" : acks) + ", store group '"
                    + ctx.send().storeGroup() + "'): start one (spread store), or set storeAcks=0 to send PERSISTENT"
                    + " messages without a store (a queue then loses what arrives while it has no consumer)");
        }
        return new StoreWait(dest.toString(), groups.get(0), id,
                acks == SpreadJmsSettings.STORE_ACKS_ALL ? StoreReceipts.ALL : acks, ctx.send().storeTimeout(), presence);
    }

    /**
     * A send failure as the application should read it: about its destination, not about the internal Spread group
     * the provider names ({@code q~orders}). Exceptions of a specific type (security, format, state) keep it.
     */
    static JMSException naming(SpreadDestination dest, List<String> groups, JMSException e) {
        if (e.getClass() != JMSException.class) {
            return e;
        }
        String text = String.valueOf(e.getMessage());
        for (String g : groups) {
            if (g.equals(dest.getName())) {
                continue; // a topic whose group has its name: nothing internal to hide
            }
            text = text.replace("[" + g + "]", dest.toString()).replace("'" + g + "'", dest.toString())
                    .replace(g, dest.toString());
        }
        JMSException named = new JMSException("could not send to " + dest + ": " + text, e.getErrorCode());
        return JmsErrors.withCause(named, e);
    }

    /** Raw bodies go to plain Spread readers, which cannot reassemble fragments: one Spread message at most. */
    private static void checkSize(Provider provider, SpreadDestination dest, int length)
            throws JMSException {
        boolean raw = Destinations.raw(dest);
        int max = raw ? provider.maxSingleMessageBytes(1) : provider.maxPayloadBytes(1);
        if (length > max) {
            throw new MessageFormatException("message of " + length + " bytes (encoded) exceeds the " + max
                    + " bytes " + (raw ? "one Spread message can carry (raw messages to " + dest + " are not"
                    + " fragmented)" : "allowed (maxMessageBytes)"));
        }
    }

    private void complete(CompletionListener listener, Message message, Exception error) {
        session.completions().execute(() -> CompletionCallbacks.run(session, producer, () -> {
            try {
                if (error == null) {
                    listener.onCompletion(message);
                } else {
                    listener.onException(message, error);
                }
            } catch (RuntimeException e) {
                LOG.warn("CompletionListener threw", e);
            }
        }));
    }

    /** The Spread groups a destination's messages are multicast to. */
    static List<String> groups(SpreadDestination d) {
        return switch (d.kind()) {
            case TOPIC, TEMPORARY_TOPIC -> List.of(d.spreadGroup());
            case QUEUE -> List.of(QueueAssignment.isGroupQueue(d) ? QueueAssignment.groupOf(d) : d.getName());
            case TEMPORARY_QUEUE -> List.of(((SpreadTemporaryQueue) d).ownerPrivateGroup());
        };
    }

    /** The envelope target (sub-address) of a destination, or null. */
    static String target(SpreadDestination d) {
        return d instanceof SpreadTemporaryQueue q ? q.subAddress() : null;
    }
}
