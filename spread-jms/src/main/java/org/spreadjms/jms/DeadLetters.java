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

/**
 * The redelivery limit ({@code maxRedeliveries}) and what happens to a message past it: it goes to the
 * {@code deadLetterQueue} if one is set, or is dropped with a warning; either way it counts as consumed (a named
 * queue's other members forget it), so a poison message cannot loop for ever.
 *
 * <p>The dead-letter copy keeps the message id, headers, properties and body, is addressed to the dead-letter queue,
 * starts again at delivery count 1, and carries {@value #ORIGINAL_DESTINATION} (the destination it was given up on),
 * {@value #DELIVERIES} (how often it was delivered there) and {@value #REASON}. It goes out at once, also from a
 * transacted session (the rollback that gave up on it is not a reason to hold it).
 */
final class DeadLetters {
    static final String ORIGINAL_DESTINATION = "SpreadDLQOriginalDestination";
    static final String DELIVERIES = "SpreadDLQDeliveries";
    static final String REASON = "SpreadDLQReason";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private DeadLetters() {
    }

    /** Whether {@code m}, delivered {@code getDeliveryCount()} times so far, may not be delivered again. */
    static boolean exhausted(SpreadMessage m, SpreadJmsSettings settings) {
        int max = settings.getMaxRedeliveries();
        return max >= 0 && Math.max(1, m.getDeliveryCount()) > max;
    }

    /**
     * Gives up on {@code m}: sends it to the dead-letter queue (if set) and marks it consumed. Never throws; never
     * called with a session lock held or on the connection's reader or dispatcher thread.
     */
    static void giveUp(SpreadSession session, SpreadMessageConsumer consumer, SpreadMessage m) {
        SpreadJmsConnection connection = session.connection();
        SpreadJmsSettings settings = connection.settings();
        int deliveries = Math.max(1, m.getDeliveryCount());
        String reason = "delivered " + deliveries + " times (maxRedeliveries=" + settings.getMaxRedeliveries() + ")";
        String dlq = settings.getDeadLetterQueue();
        if (dlq.isEmpty()) {
            LOG.warn("message {} from {} {}: dropped (no deadLetterQueue set)", m.getJMSMessageID(),
                    consumer.destination(), reason);
        } else {
            try {
                send(connection, new SpreadQueue(dlq), consumer.destination(), m, deliveries, reason);
                LOG.warn("message {} from {} {}: moved to dead-letter queue {}", m.getJMSMessageID(),
                        consumer.destination(), reason, dlq);
            } catch (JMSException | RuntimeException e) {
                LOG.error("message {} from {} {}: could not be moved to dead-letter queue {}, dropped: {}",
                        m.getJMSMessageID(), consumer.destination(), reason, dlq, e.toString());
            }
        }
        MessageRouter router = connection.routerIfConnected();
        if (router != null) {
            router.acknowledged(consumer, m);
        }
    }

    private static void send(SpreadJmsConnection connection, SpreadQueue dlq, SpreadDestination from,
                             SpreadMessage m, int deliveries, String reason) throws JMSException {
        SpreadMessage copy = m.copy();
        copy.setReadOnly(false, false);
        copy.setStringProperty(ORIGINAL_DESTINATION, String.valueOf(from));
        copy.setIntProperty(DELIVERIES, deliveries);
        copy.setStringProperty(REASON, reason);
        copy.setJMSDestination(dlq);
        copy.setJMSRedelivered(false);
        copy.setDeliveryCount(0);
        MessageEnvelope.Encoded e = MessageEnvelope.encodeToBuffer(copy, null);
        ServiceType service = Destinations.serviceType(dlq, copy.getJMSDeliveryMode() == DeliveryMode.PERSISTENT,
                connection.settings());
        connection.provider().send(MessageSender.groups(dlq), service, MessageEnvelope.MESS_TYPE, e.array(),
                e.length());
    }
}
