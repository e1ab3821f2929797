package org.spreadjms.jms;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.jms.MessageListener;
import jakarta.jms.Session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.jms.message.MessageCopies;
import org.spreadjms.jms.message.SpreadMessage;

/**
 * Calls a consumer's MessageListener with one message and settles the outcome by the session's acknowledge mode:
 * AUTO/DUPS_OK acknowledge when it returns (unless it called recover()) and redeliver, or give up on, a message it
 * threw on; CLIENT_ACKNOWLEDGE and transacted leave it unacknowledged.
 *
 * <p>Called on the thread that runs the session's listeners (its listener thread, or the connection's dispatcher
 * thread for a direct dispatch), never under the session's delivery lock; it takes that lock only to put a message
 * back in front of its consumer's buffer.
 */
final class ListenerCalls {
    /** SessionDelivery's logger: these warnings kept their category when this class was split off. */
    private static final Logger LOG = LoggerFactory.getLogger(SessionDelivery.class);

    private final SessionContext ctx;
    private final int mode;
    private final ReentrantLock lock;
    private final Condition changed;
    /** Only the message in process is touched here, by the thread running the listener (no lock needed). */
    private final DeliveredMessages delivered;

    ListenerCalls(SessionContext ctx, int mode, ReentrantLock lock, Condition changed, DeliveredMessages delivered) {
        this.ctx = ctx;
        this.mode = mode;
        this.lock = lock;
        this.changed = changed;
        this.delivered = delivered;
    }

    /** Calls {@code l}, read under the lock when {@code m} was taken (a listener set to null meanwhile gets it). */
    void call(SpreadMessageConsumer c, SpreadMessage m, MessageListener l) {
        boolean auto = mode == Session.AUTO_ACKNOWLEDGE || mode == Session.DUPS_OK_ACKNOWLEDGE;
        if (auto) {
            // only the thread running the listener touches the message in process (recover() acts on it only from
            // that thread): no lock needed on this per-message path
            delivered.startProcessing(c, m);
        }
        try {
            l.onMessage(m);
            if (auto && !takeInProcess()) {
                ctx.consumers().acknowledged(c.registration(), m);
            }
        } catch (RuntimeException e) {
            if (auto && takeInProcess()) {
                LOG.warn("listener of {} threw on message {} after recover(); it is redelivered", c.destination(), m,
                        e);
                return;
            }
            if (mode != Session.AUTO_ACKNOWLEDGE && mode != Session.DUPS_OK_ACKNOWLEDGE) {
                // CLIENT_ACKNOWLEDGE and transacted: it stays unacknowledged; recover or rollback brings it back
                LOG.warn("listener of {} threw on message {}; left unacknowledged", c.destination(), m, e);
            } else if (ctx.delivery().exhausted(m.getDeliveryCount())) {
                LOG.warn("listener of {} threw on message {}; giving up on it", c.destination(), m, e);
                ctx.deadLetters().giveUp(c.registration(), m);
            } else {
                LOG.warn("listener of {} threw on message {}; redelivering", c.destination(), m, e);
                lock.lock();
                try {
                    c.buffer().addFirst(MessageCopies.redelivered(m));
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Ends the processing of the listener's message; returns whether recover() brought it back meanwhile. */
    private boolean takeInProcess() {
        return delivered.endProcessing(); // the listener's own thread, as startProcessing
    }
}
