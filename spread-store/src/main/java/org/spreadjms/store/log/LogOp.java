package org.spreadjms.store.log;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.spreadjms.jms.store.MessageKey;

/** An operation waiting for the log's writer thread, with the future it completes once written as the policy says. */
sealed interface LogOp {
    CompletableFuture<?> done();

    /**
     * Append a message. {@code sequence} is 0 for a new message (the writer gives the next one of the destination)
     * or the sequence a state transfer brings; {@code counts} says whether it is an operation of the ordered stream
     * (counted in {@link MessageLog#appliedIndex()}).
     */
    record Append(String destination, byte[] dest, long sequence, MessageKey key, short messType, byte[] payload,
                  boolean counts, CompletableFuture<Appended> done) implements LogOp {
    }

    /** Delete a message by its key; completes with whether it was there. */
    record Delete(String destination, byte[] dest, MessageKey key, CompletableFuture<Boolean> done)
            implements LogOp {
    }

    /** Completes, with the position at that point, once everything queued before it is written. */
    record Barrier(CompletableFuture<LogPosition> done) implements LogOp {
    }

    /**
     * Set the last sequences of destinations and the applied index (state transfer), first dropping the messages of
     * those destinations if {@code drop}.
     */
    record Reset(Map<String, Long> lastSequences, long applied, boolean drop, CompletableFuture<Void> done)
            implements LogOp {
    }

    /**
     * Drop every message of a destination (an operation of the ordered stream, counted in the applied index); its
     * last sequence stays, so sequences are never reused.
     */
    record Purge(String destination, byte[] dest, CompletableFuture<Void> done) implements LogOp {
    }

    /** Stop the writer after everything queued before. */
    record Stop(CompletableFuture<Void> done) implements LogOp {
    }
}
