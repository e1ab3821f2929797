package org.spreadjms.jms;

import java.time.Duration;
import java.util.List;

import jakarta.jms.JMSException;

import org.spreadjms.client.ServiceType;
import org.spreadjms.jms.message.MessageEnvelope;
import org.spreadjms.jms.provider.Provider;
import org.spreadjms.jms.store.StoreReceipts;

/**
 * A message ready to go: its payload is the first {@code payload.length()} bytes of the encoder's buffer;
 * {@code store} is what a PERSISTENT queue send waits for after it went out (null: nothing).
 */
record PendingSend(List<String> groups, ServiceType service, short messType, MessageEnvelope.Encoded payload,
                   StoreWait store) {
    /** The same send holding exactly its bytes (kept until commit, so no encoder slack is held). */
    PendingSend trimmed() {
        byte[] exact = payload.toByteArray();
        return exact == payload.array() ? this
                : new PendingSend(groups, service, messType, new MessageEnvelope.Encoded(exact, exact.length), store);
    }

    /**
     * Multicasts the message; with a {@link #store} wait, registers it first (an acknowledgement may arrive before
     * the multicast returns) and returns the receipt to await, else null.
     */
    StoreReceipts.Receipt sendWith(Provider provider, StoreReceipts receipts) throws JMSException {
        StoreReceipts.Receipt r = store == null ? null : store.expect(receipts);
        try {
            provider.send(groups, service, messType, payload.array(), payload.length());
        } catch (JMSException | RuntimeException e) {
            if (r != null) {
                r.cancel();
            }
            throw e;
        }
        return r;
    }

    /**
     * Waits for the store's acknowledgements of this send (made as {@code sentAs}, the connection's private group
     * then), at most {@code left}; if the connection fails over meanwhile, sends the message again on the new
     * connection (see {@link StoreWait.Resend}).
     */
    void awaitStored(Provider provider, StoreReceipts.Receipt r, String sentAs, Duration left) throws JMSException {
        String[] as = {sentAs};
        store.await(r, left, () -> {
            if (!provider.isConnected()) {
                return;
            }
            String now = provider.privateGroup();
            if (!now.equals(as[0])) {
                as[0] = now;
                provider.send(groups, service, messType, payload.array(), payload.length());
            }
        });
    }
}
