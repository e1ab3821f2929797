package org.spreadjms.jms;

import jakarta.jms.IllegalStateException;

/**
 * Which session and producer a CompletionListener callback on the current thread belongs to, so the methods it must
 * not call on them (specification 7.3.4: close of its own producer, session, JMSContext or connection; commit or
 * rollback of its own session) throw IllegalStateException instead of deadlocking or succeeding.
 */
final class CompletionCallbacks {
    private record Running(SpreadSession session, Object producer) {
    }

    private static final ThreadLocal<Running> RUNNING = new ThreadLocal<>();

    private CompletionCallbacks() {
    }

    /** Runs a CompletionListener callback of {@code producer} on {@code session}. */
    static void run(SpreadSession session, Object producer, Runnable callback) {
        Running outer = RUNNING.get();
        RUNNING.set(new Running(session, producer));
        try {
            callback.run();
        } finally {
            RUNNING.set(outer);
        }
    }

    /** Throws if the current thread runs a CompletionListener of {@code session}. */
    static void checkNotInCompletionOf(SpreadSession session, String operation) throws IllegalStateException {
        Running r = RUNNING.get();
        if (r != null && r.session() == session) {
            throw new IllegalStateException("a CompletionListener must not call " + operation + "() on its own"
                    + " session");
        }
    }

    /** Throws if the current thread runs a CompletionListener of a session of {@code connection}. */
    static void checkNotInCompletionOfConnection(Object connection, String operation) throws IllegalStateException {
        Running r = RUNNING.get();
        if (r != null && r.session().context().owner() == connection) {
            throw new IllegalStateException("a CompletionListener must not call " + operation + "() on its own"
                    + " connection");
        }
    }

    /** Throws if the current thread runs a CompletionListener of {@code producer}. */
    static void checkNotInCompletionOfProducer(Object producer) throws IllegalStateException {
        Running r = RUNNING.get();
        if (r != null && r.producer() == producer) {
            throw new IllegalStateException("a CompletionListener must not close its own producer");
        }
    }
}
