package org.spreadjms.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.spreadjms.store.log.MessageLog;

/**
 * The live stream of a store member's replica group as {@link ReplicaProtocol} passes it on: applied to the log (and
 * acknowledged once durable) while the member serves, held back while it catches up, at most
 * {@code catchUpBufferBytes} (more fails the member).
 *
 * <p>Not thread-safe: {@link ReplicaProtocol} calls it on the connection's dispatcher thread, in stream order. The
 * log's completions (acknowledgements, the {@link #onAppended} hook) run on the log's callback thread.
 */
final class LiveStream {
    /** Counted per held-back operation on top of its payload. */
    private static final int OPERATION_BYTES = 64;

    private final MessageLog log;
    private final AckSender acks;
    private final Consumer<String> fail;
    private final long limitBytes;
    private final List<LiveOperation> heldBack = new ArrayList<>();
    private long heldBackBytes;
    private volatile Consumer<String> appended = d -> { };

    LiveStream(MessageLog log, AckSender acks, Consumer<String> fail, long limitBytes) {
        this.log = log;
        this.acks = acks;
        this.fail = fail;
        this.limitBytes = limitBytes;
    }

    /** Told (on the log's callback thread) the destination of every message appended from the live stream. */
    void onAppended(Consumer<String> hook) {
        this.appended = hook;
    }

    /** Holds {@code op} back until the member serves; past {@code catchUpBufferBytes} the member fails. */
    void holdBack(LiveOperation op) {
        heldBack.add(op);
        heldBackBytes += OPERATION_BYTES + (op.data() == null ? 0 : op.data().length);
        if (heldBackBytes > limitBytes) {
            fail.accept("the live stream held back during the state transfer passed " + limitBytes + " bytes");
        }
    }

    /** How many operations are held back: the position the next one will have. */
    int heldBack() {
        return heldBack.size();
    }

    /** The operations held back at positions {@code from} (inclusive) to {@code to} (exclusive), copied. */
    List<LiveOperation> heldBack(int from, int to) {
        return List.copyOf(heldBack.subList(from, to));
    }

    /** Drops everything held back. */
    void drop() {
        heldBack.clear();
        heldBackBytes = 0;
    }

    /** Applies what is held back from position {@code from} on, and drops all of it. */
    void applyHeldBack(int from) {
        heldBack.subList(from, heldBack.size()).forEach(this::apply);
        drop();
    }

    /** Once {@code written} completes, acknowledges those of {@code ops} that acknowledge (they are in the state). */
    void acknowledgeWhenWritten(CompletableFuture<Void> written, List<LiveOperation> ops) {
        written.thenRun(() -> ops.stream().filter(LiveOperation::acknowledges).forEach(op -> acks.durable(
                op.replyTo(), op.acknowledgedAs(), op.key().id(), op.storeMembers())));
    }

    /** Queues {@code op} to the log; an APPEND or ACK is acknowledged once the log wrote it. */
    void apply(LiveOperation op) {
        switch (op.op()) {
            case DELETE -> log.delete(op.destination(), op.key()).whenComplete((r, e) -> failed(e, "delete", op));
            case PURGE -> log.purge(op.destination()).whenComplete((r, e) -> failed(e, "purge", op));
            case ACK -> log.barrier().whenComplete((r, e) -> acknowledge(e, "acknowledge", op));
            case APPEND -> log.append(op.destination(), op.key(), op.messType(), op.data())
                    .whenComplete((r, e) -> acknowledge(e, "append", op));
        }
    }

    private void acknowledge(Throwable e, String what, LiveOperation op) {
        if (e != null) {
            failed(e, what, op);
            return;
        }
        if (op.acknowledges()) {
            acks.durable(op.replyTo(), op.acknowledgedAs(), op.key().id(), op.storeMembers());
        }
        if (op.op() == LiveOperation.Op.APPEND) {
            appended.accept(op.destination());
        }
    }

    /** An operation the log did not write: this member no longer has the group's stream, so it must leave. */
    private void failed(Throwable e, String what, LiveOperation op) {
        if (e != null) {
            fail.accept("could not " + what + " " + (op.key() == null ? "" : op.key() + " ") + "in "
                    + op.destination() + ": " + e.getMessage());
        }
    }
}
