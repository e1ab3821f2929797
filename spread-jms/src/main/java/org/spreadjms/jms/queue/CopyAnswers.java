package org.spreadjms.jms.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A member's HOLDS and LACKS answers to re-published copies (rule 8 of docs/queue-protocol.md), batched like ACKs: up
 * to {@link #BATCH} ids of one kind and view, or what accumulated within {@link #DELAY_MILLIS} ms. They are posted to
 * the {@link ControlOutbox} in the order the copies came, which is the order the other members match them in.
 */
final class CopyAnswers {
    static final int BATCH = 128;
    static final long DELAY_MILLIS = 5;

    private final ControlOutbox outbox;
    private final ScheduledExecutorService timer;
    private final Supplier<String> me;
    private QueueControl.Kind kind;
    private String view;
    private final List<String> ids = new ArrayList<>();
    private boolean scheduled;

    CopyAnswers(ControlOutbox outbox, ScheduledExecutorService timer, Supplier<String> me) {
        this.outbox = outbox;
        this.timer = timer;
        this.me = me;
    }

    /** Answers the copy of {@code id} that came in view {@code view}. */
    synchronized void add(QueueControl.Kind kind, String view, String id) {
        if (!ids.isEmpty() && (kind != this.kind || !view.equals(this.view))) {
            post();
        }
        this.kind = kind;
        this.view = view;
        ids.add(id);
        if (ids.size() >= BATCH) {
            post();
        } else if (!scheduled) {
            scheduled = true;
            try {
                timer.schedule(this::flush, DELAY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                post(); // the connection is closing: the outbox drops it or sends it, as it can
            }
        }
    }

    /** Posts what is batched now. */
    synchronized void flush() {
        scheduled = false;
        if (!ids.isEmpty()) {
            post();
        }
    }

    private void post() {
        outbox.post(new QueueControl(kind, me.get(), view, ids));
        ids.clear();
    }
}
