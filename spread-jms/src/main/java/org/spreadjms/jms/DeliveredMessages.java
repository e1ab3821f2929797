package org.spreadjms.jms;

import java.util.ArrayList;
import java.util.List;

import org.spreadjms.jms.message.SpreadMessage;

/**
 * What a session delivered and has not acknowledged: the messages of CLIENT_ACKNOWLEDGE and transacted sessions
 * until {@code acknowledge()}/{@code commit()}, and in AUTO/DUPS_OK mode the one message a listener is processing
 * (acknowledged when it returns, unless it called {@code recover()}). Not thread-safe: the session's delivery lock
 * guards the unacknowledged list; the message in process is only touched by the thread running the listener
 * ({@link #startProcessing}, {@link #endProcessing}, and {@link #recoverInProcess} from recover() on that thread).
 */
final class DeliveredMessages {
    /** A message and the consumer it was delivered by. */
    record Delivered(SpreadMessageConsumer consumer, SpreadMessage message) {
    }

    private final List<Delivered> unacknowledged = new ArrayList<>();
    /** Two fields, not a Delivered: this is set for every message a listener gets (no allocation). */
    private SpreadMessageConsumer inProcessConsumer;
    private SpreadMessage inProcessMessage;
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
        inProcessConsumer = c;
        inProcessMessage = m;
        inProcessRecovered = false;
    }

    /** The listener returned (or threw); true when it called recover() meanwhile, so the message is not acknowledged. */
    boolean endProcessing() {
        boolean recovered = inProcessRecovered;
        inProcessConsumer = null;
        inProcessMessage = null;
        inProcessRecovered = false;
        return recovered;
    }

    /**
     * recover() from inside the listener: the message it is processing counts as delivered and unacknowledged, so the
     * recovery brings it back.
     */
    void recoverInProcess() {
        if (inProcessMessage != null && !inProcessRecovered) {
            unacknowledged.add(new Delivered(inProcessConsumer, inProcessMessage));
            inProcessRecovered = true;
        }
    }
}
