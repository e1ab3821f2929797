package org.spreadjms.jms;

import java.util.ArrayList;
import java.util.List;

import org.spreadjms.jms.message.SpreadMessage;

/**
 * What a session delivered and has not acknowledged: the messages of CLIENT_ACKNOWLEDGE and transacted sessions
 * until {@code acknowledge()}/{@code commit()}, and in AUTO/DUPS_OK mode the one message a listener is processing
 * (acknowledged when it returns, unless it called {@code recover()}). Not thread-safe: the session's delivery lock
 * guards it.
 */
final class DeliveredMessages {
    /** A message and the consumer it was delivered by. */
    record Delivered(SpreadMessageConsumer consumer, SpreadMessage message) {
    }

    private final List<Delivered> unacknowledged = new ArrayList<>();
    private Delivered inProcess;
    private boolean inProcessRecovered;

    /** A message delivered that waits for acknowledge() or commit(). */
    void add(SpreadMessageConsumer c, SpreadMessage m) {
        unacknowledged.add(new Delivered(c, m));
    }

    /** Every unacknowledged message, in delivery order; none is held afterwards. */
    List<Delivered> takeAll() {
        List<Delivered> out = new ArrayList<>(unacknowledged);
        unacknowledged.clear();
        return out;
    }

    /** AUTO/DUPS_OK: a listener starts processing {@code m}. */
    void startProcessing(SpreadMessageConsumer c, SpreadMessage m) {
        inProcess = new Delivered(c, m);
        inProcessRecovered = false;
    }

    /** The listener returned (or threw); true when it called recover() meanwhile, so the message is not acknowledged. */
    boolean endProcessing() {
        boolean recovered = inProcessRecovered;
        inProcess = null;
        inProcessRecovered = false;
        return recovered;
    }

    /**
     * recover() from inside the listener: the message it is processing counts as delivered and unacknowledged, so the
     * recovery brings it back.
     */
    void recoverInProcess() {
        if (inProcess != null && !inProcessRecovered) {
            unacknowledged.add(inProcess);
            inProcessRecovered = true;
        }
    }
}
