package org.spreadjms.jms;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.spreadjms.jms.message.MessageCopies;
import org.spreadjms.jms.routing.ConsumerRegistration;

/**
 * What becomes of the messages a session delivered and has not acknowledged ({@link DeliveredMessages}):
 * acknowledged ({@code acknowledge()}, {@code commit()}), redelivered ({@code recover()}, {@code rollback()}) or
 * released to the queue's other members (close).
 *
 * <p>Shares the session's delivery lock and its condition with {@link SessionDelivery}: each method takes the lock
 * for the list and never calls the connection (acknowledgements, dead letters, releases) while holding it.
 */
final class SessionAcknowledgements {
    private final SessionContext ctx;
    private final SessionDelivery delivery;
    private final ReentrantLock lock;
    private final Condition changed;
    /** Guarded by the lock. */
    private final DeliveredMessages delivered;

    SessionAcknowledgements(SessionContext ctx, SessionDelivery delivery, ReentrantLock lock, Condition changed,
                            DeliveredMessages delivered) {
        this.ctx = ctx;
        this.delivery = delivery;
        this.lock = lock;
        this.changed = changed;
        this.delivered = delivered;
    }

    /**
     * Acknowledges (forgets) every message delivered so far (CLIENT_ACKNOWLEDGE's acknowledge(), commit()), and
     * returns once the queue protocol's ACKs of those messages are written to the daemon: they are batched for a
     * few milliseconds otherwise, and a process killed right after acknowledge() returned would lose them, so the
     * messages would come again (DurableCrashTest).
     */
    void acknowledgeAll() {
        Set<ConsumerRegistration> consumers = new HashSet<>();
        lock.lock();
        try {
            for (DeliveredMessages.Delivered d : delivered.takeAll()) {
                ctx.consumers().acknowledged(d.consumer().registration(), d.message());
                consumers.add(d.consumer().registration());
            }
        } finally {
            lock.unlock();
        }
        ctx.consumers().flushAcks(consumers); // not under the lock: the flush waits for the connection's timer
    }

    /**
     * Puts every unacknowledged message back in front of its consumer's buffer, in delivery order, marked
     * redelivered with its delivery count raised.
     */
    void redeliverUnacknowledged() {
        redeliverUnacknowledged(true);
    }

    /**
     * As {@link #redeliverUnacknowledged()}; with {@code mayGiveUp} false even messages past the redelivery limit come
     * back once more (a failed commit: the connection that would carry them to the dead-letter queue just failed).
     */
    void redeliverUnacknowledged(boolean mayGiveUp) {
        List<DeliveredMessages.Delivered> givenUp = new ArrayList<>();
        lock.lock();
        try {
            if (SessionDelivery.currentListenerSession() == delivery) {
                delivered.recoverInProcess(); // AUTO/DUPS_OK: recover() from the listener brings its message back
            }
            List<DeliveredMessages.Delivered> all = delivered.takeAll();
            for (int i = all.size() - 1; i >= 0; i--) {
                DeliveredMessages.Delivered d = all.get(i);
                if (d.consumer().isClosedUnlocked()) {
                    continue;
                }
                if (mayGiveUp && ctx.delivery().exhausted(d.message().getDeliveryCount())) {
                    givenUp.add(0, d);
                } else {
                    d.consumer().buffer().addFirst(MessageCopies.redelivered(d.message()));
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        // sent and acknowledged outside the lock (a send may block; acknowledgements never go out under it)
        for (DeliveredMessages.Delivered d : givenUp) {
            ctx.deadLetters().giveUp(d.consumer().registration(), d.message());
        }
    }

    /**
     * The session closes: messages delivered and never acknowledged (CLIENT_ACKNOWLEDGE, transacted) are given back,
     * before the consumers close and their connection perhaps leaves the queue's group: another member, or this
     * connection's next consumer of the queue, redelivers them.
     */
    void releaseUnacknowledged() {
        List<DeliveredMessages.Delivered> release;
        lock.lock();
        try {
            release = delivered.takeAll();
        } finally {
            lock.unlock();
        }
        for (DeliveredMessages.Delivered d : release) {
            ctx.consumers().released(d.consumer().registration(), d.message());
        }
    }
}
