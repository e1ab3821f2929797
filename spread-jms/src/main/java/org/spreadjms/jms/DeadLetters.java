package org.spreadjms.jms;

import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.ServiceType;
import org.spreadjms.jms.destination.SpreadDestination;
import org.spreadjms.jms.destination.SpreadQueue;
import org.spreadjms.jms.message.MessageEnvelope;
import org.spreadjms.jms.message.SpreadMessage;
import org.spreadjms.jms.provider.Provider;
import org.spreadjms.jms.routing.AcknowledgementSink;
import org.spreadjms.jms.routing.ConsumerRegistration;

/**
 * The redelivery limit ({@code maxRedeliveries}) and what happens to a message past it: it is sent to the
 * {@code deadLetterQueue} if one is set, or dropped with a warning; either way it then counts as consumed (a named
 * queue's other members forget it), so a poison message cannot loop for ever.
 *
 * <p>The dead-letter copy is a new message (a new id: several subscribers of one topic may give up on the same
 * message) with the original's headers, properties and body, addressed to the dead-letter queue, no expiration, and
 * the properties {@value #ORIGINAL_MESSAGE_ID}, {@value #ORIGINAL_DESTINATION}, {@value #DELIVERIES} and
 * {@value #REASON}. It goes out at once, also from a transacted session. Like any queue message without a store, it
 * is kept only if the dead-letter queue has a consumer. A message given up on while consuming the dead-letter queue
 * itself is dropped (no loop). If the dead-letter send fails, a named queue's message is declined (another member
 * may take it) rather than acknowledged; a topic message is then lost, with an error logged.
 */
final class DeadLetters {
    static final String ORIGINAL_MESSAGE_ID = "SpreadDLQOriginalMessageID";
    static final String ORIGINAL_DESTINATION = "SpreadDLQOriginalDestination";
    static final String DELIVERIES = "SpreadDLQDeliveries";
    static final String REASON = "SpreadDLQReason";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final SpreadJmsSettings settings;
    private final Provider provider;
    private final SessionContext.MessageIds ids;
    private final AcknowledgementSink acks;

    DeadLetters(SpreadJmsSettings settings, Provider provider, SessionContext.MessageIds ids,
                AcknowledgementSink acks) {
        this.settings = settings;
        this.provider = provider;
        this.ids = ids;
        this.acks = acks;
    }

    /**
     * Gives up on {@code m}: sends it to the dead-letter queue (if set) and marks it consumed. Never throws; never
     * called with a session lock held or on the connection's reader thread (on its dispatcher thread only when that
     * thread runs listeners itself, {@code alwaysSessionAsync=false}).
     */
    void giveUp(ConsumerRegistration consumer, SpreadMessage m) {
        int deliveries = Math.max(1, m.getDeliveryCount());
        String reason = "delivered " + deliveries + " times (maxRedeliveries=" + settings.getMaxRedeliveries() + ")";
        String dlq = settings.getDeadLetterQueue();
        SpreadDestination from = consumer.destination();
        if (dlq.isEmpty()) {
            LOG.warn("message {} from {} {}: dropped (no deadLetterQueue set)", m.getJMSMessageID(), from, reason);
        } else if (isQueue(from, dlq)) {
            LOG.warn("message {} from dead-letter queue {} {}: dropped (not sent to the dead-letter queue again)",
                    m.getJMSMessageID(), dlq, reason);
        } else {
            try {
                String id = send(new SpreadQueue(dlq), from, m, deliveries, reason);
                LOG.warn("message {} from {} {}: sent to dead-letter queue {} as {}", m.getJMSMessageID(), from,
                        reason, dlq, id);
            } catch (JMSException | RuntimeException e) {
                LOG.error("message {} from {} {}: could not be sent to dead-letter queue {}: {}", m.getJMSMessageID(),
                        from, reason, dlq, e.toString());
                acks.declined(consumer, m); // a named queue's other members may still take it
                return;
            }
        }
        acks.acknowledged(consumer, m);
    }

    private static boolean isQueue(SpreadDestination d, String queueName) {
        return d.kind() == SpreadDestination.Kind.QUEUE && d.getName().equals(queueName);
    }

    /** Sends the dead-letter copy; returns its message id. */
    private String send(SpreadQueue dlq, SpreadDestination from,
                               SpreadMessage m, int deliveries, String reason) throws JMSException {
        SpreadMessage copy = m.copy();
        copy.setReadOnly(false, false);
        copy.setStringProperty(ORIGINAL_MESSAGE_ID, m.getJMSMessageID());
        copy.setStringProperty(ORIGINAL_DESTINATION, String.valueOf(from));
        copy.setIntProperty(DELIVERIES, deliveries);
        copy.setStringProperty(REASON, reason);
        copy.setJMSDestination(dlq);
        copy.setJMSExpiration(0);
        copy.setJMSMessageID(ids.next());
        MessageEnvelope.Encoded e = MessageEnvelope.encodeForSend(copy, null);
        ServiceType service = Destinations.serviceType(dlq, copy.getJMSDeliveryMode() == DeliveryMode.PERSISTENT,
                settings);
        provider.send(MessageSender.groups(dlq), service, MessageEnvelope.MESS_TYPE, e.array(),
                e.length());
        return copy.getJMSMessageID();
    }
}
