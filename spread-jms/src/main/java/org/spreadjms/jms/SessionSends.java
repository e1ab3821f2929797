package org.spreadjms.jms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TransactionRolledBackException;

import org.spreadjms.jms.errors.JmsErrors;
import org.spreadjms.jms.store.StoreReceipts;

/**
 * How a session's sends go out: at once, or in a transacted session held until {@link #commit()} (Spread has no
 * transactions: nothing goes out before it). A PERSISTENT queue send waits for the store members' acknowledgements
 * after it went out, at most {@code storeTimeout} (for a commit: all of its sends within one {@code storeTimeout}).
 *
 * <p>Called by the application's threads through the session; holds no lock of its own beyond
 * {@link TransactedSends}'.
 */
final class SessionSends {
    private final SessionContext ctx;
    private final boolean transacted;
    private final SessionDelivery delivery;
    private final TransactedSends held = new TransactedSends();

    SessionSends(SessionContext ctx, int mode, SessionDelivery delivery) {
        this.ctx = ctx;
        this.transacted = mode == Session.SESSION_TRANSACTED;
        this.delivery = delivery;
    }

    /** Sends a message now, or holds it until commit in a transacted session. */
    void send(PendingSend s) throws JMSException {
        if (transacted) {
            held.hold(s);
        } else {
            String sentAs = ctx.provider().privateGroup();
            StoreReceipts.Receipt r = s.sendWith(ctx.provider(), storeReceipts());
            if (r != null) {
                s.awaitStored(ctx.provider(), r, sentAs, s.store().timeout());
            }
        }
    }

    /**
     * Sends what is held, waits for the store acknowledgements, then acknowledges the received messages. If a send or
     * wait fails, the received messages are redelivered and a TransactionRolledBackException says how many sends
     * went out.
     */
    void commit() throws JMSException {
        List<PendingSend> sends = held.takeAll();
        int sent = 0;
        List<StoreReceipts.Receipt> receipts = new ArrayList<>();
        String sentAs = ctx.provider().privateGroup();
        try {
            for (PendingSend s : sends) {
                StoreReceipts.Receipt r = s.sendWith(ctx.provider(), storeReceipts());
                if (r != null) {
                    receipts.add(r);
                }
                sent++;
            }
            awaitStored(sends, receipts, sentAs);
        } catch (JMSException | RuntimeException e) {
            receipts.forEach(StoreReceipts.Receipt::cancel);
            // Spread has no transactions: what went out stays out. The consumed messages come back, as on rollback
            // (all of them: none is given up on over a connection that just failed).
            delivery.acknowledgements().redeliverUnacknowledged(false);
            throw JmsErrors.withCause(new TransactionRolledBackException("commit failed after " + sent + " of "
                    + sends.size() + " sends (those are delivered; the rest are not); received messages will be"
                    + " redelivered: " + e.getMessage()), e);
        }
        delivery.acknowledgements().acknowledgeAll();
    }

    /** Drops what is held (rollback, close). */
    void discard() {
        held.discard();
    }

    private StoreReceipts storeReceipts() {
        return ctx.consumers().routing().storeReceipts();
    }

    /** Waits for the store acknowledgements of a commit's PERSISTENT queue sends, all within one storeTimeout. */
    private void awaitStored(List<PendingSend> sends, List<StoreReceipts.Receipt> receipts, String sentAs)
            throws JMSException {
        if (receipts.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + ctx.send().storeTimeout().toNanos();
        int i = 0;
        for (PendingSend s : sends) {
            if (s.store() != null) {
                Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
                s.awaitStored(ctx.provider(), receipts.get(i++), sentAs, left);
            }
        }
    }
}
