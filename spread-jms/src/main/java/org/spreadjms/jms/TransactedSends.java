package org.spreadjms.jms;

import java.util.ArrayList;
import java.util.List;

/**
 * The sends of a transacted session held until {@code commit()} (Spread has no transactions: nothing goes out before
 * it) and discarded by {@code rollback()} or close. Thread-safe.
 */
final class TransactedSends {
    private final List<PendingSend> held = new ArrayList<>();

    synchronized void hold(PendingSend s) {
        held.add(s.trimmed());
    }

    /** Everything held, in send order; nothing is held afterwards. */
    synchronized List<PendingSend> takeAll() {
        List<PendingSend> out = new ArrayList<>(held);
        held.clear();
        return out;
    }

    synchronized void discard() {
        held.clear();
    }
}
