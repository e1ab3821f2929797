package org.spreadjms.jms;

import java.time.Duration;

import jakarta.jms.JMSException;

import org.spreadjms.jms.errors.JmsErrors;
import org.spreadjms.jms.store.StoreReceipts;

/**
 * What a PERSISTENT send to a named queue waits for when {@code storeAcks} is set: STORED acknowledgements of
 * message {@code id} in queue group {@code group} from {@code acks} store members ({@link StoreReceipts#ALL}: every
 * one in view), within {@code timeout}.
 *
 * @param queue         the queue as the application names it, for errors
 * @param presenceGroup the store's presence group: with {@link StoreReceipts#ALL}, a store member that leaves it
 *                      while the send waits is no longer waited for
 */
record StoreWait(String queue, String group, String id, int acks, Duration timeout, String presenceGroup) {
    /** How often a waiting send checks whether its connection failed over (then it sends again). */
    static final Duration RESEND_CHECK = Duration.ofMillis(100);

    /**
     * Sends the message once more if the connection failed over since it was last sent: the STORED answers to the
     * lost connection's private group never arrive, and the message itself may have died with the daemon. The
     * store members keep a message with the same JMSMessageID once and answer the new private group.
     */
    interface Resend {
        void ifReconnected() throws JMSException;
    }

    /** Registers the wait; call before the message is multicast. */
    StoreReceipts.Receipt expect(StoreReceipts receipts) {
        return receipts.expect(group, id, acks, presenceGroup);
    }

    /**
     * Waits until the receipt is complete, at most {@link #timeout} (or {@code left}, if shorter: a commit's waits
     * share one deadline). Every {@link #RESEND_CHECK} without the acknowledgements it calls {@code resend}.
     *
     * @throws JMSException naming the queue, the message, what arrived and the storeAcks setting, on timeout
     */
    void await(StoreReceipts.Receipt r, Duration left, Resend resend) throws JMSException {
        long deadline = System.nanoTime() + (left.compareTo(timeout) < 0 ? left : timeout).toNanos();
        boolean done;
        try {
            while (!(done = r.awaitStep(Duration.ofNanos(Math.max(0, Math.min(RESEND_CHECK.toNanos(),
                    deadline - System.nanoTime())))))) {
                if (deadline - System.nanoTime() <= 0) {
                    break;
                }
                resend.ifReconnected();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw JmsErrors.jms("interrupted while waiting for the store members to acknowledge PERSISTENT message "
                    + id + " to " + queue, e);
        } finally {
            r.cancel();
        }
        if (done) {
            return;
        }
        String setting = "storeAcks=" + (acks == StoreReceipts.ALL ? "all" : String.valueOf(acks));
        int got = r.acknowledgements();
        if (got == 0) {
            throw new JMSException("no store member acknowledged PERSISTENT message " + id + " to " + queue
                    + " within " + timeout.toMillis() + " ms (" + setting + "; is a store member (spread store)"
                    + " running for the queue's group?)");
        }
        throw new JMSException("only " + got + " of " + r.storeMembers() + " store member(s) acknowledged"
                + " PERSISTENT message " + id + " to " + queue + " within " + timeout.toMillis() + " ms (" + setting
                + ")");
    }
}
