package org.spreadjms.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadException;
import org.spreadjms.jms.store.StoreControlCodec;
import org.spreadjms.jms.store.StoreFrame;

/**
 * Sends STORED acknowledgements to senders' private groups. {@link #durable} is called as appends complete, on the
 * log's callback thread, and never blocks: it queues the acknowledgement and, unless one is pending, hands a flush to
 * the same callback thread ({@link org.spreadjms.store.log.MessageLog#callbackExecutor()}), which runs after the
 * rest of the write group's completions. So everything one write made durable goes out as one frame per sender (the
 * acknowledgements batch as the appends did), without a thread of its own to wake: a lone synchronous sender's STORED
 * leaves on the thread that learnt it was durable.
 */
final class AckSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AckSender.class);
    /** References per STORED frame: 1,000 refs of 31-byte groups and 100-byte ids stay far below a Spread frame. */
    static final int MAX_REFS = 1000;

    private record Ack(String sender, StoreFrame.Ref ref, int storeMembers) {
    }

    /** One STORED frame's addressee and member count. */
    private record Batch(String sender, int storeMembers) {
    }

    private final SpreadConnection connection;
    private final Executor flusher;
    private final ConcurrentLinkedQueue<Ack> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushPending = new AtomicBoolean();
    private final Object sending = new Object();

    /**
     * @param flusher where flushes run: the log's callback thread, so that they follow the completions queued
     *                before them
     */
    AckSender(SpreadConnection connection, Executor flusher) {
        this.connection = connection;
        this.flusher = flusher;
    }

    /**
     * The message {@code id} of {@code sender} in {@code destination} is durable here; {@code storeMembers} is the
     * size of the control view when it was delivered.
     */
    void durable(String sender, String destination, String id, int storeMembers) {
        queue.add(new Ack(sender, new StoreFrame.Ref(destination, id), storeMembers));
        if (flushPending.compareAndSet(false, true)) {
            try {
                flusher.execute(this::flush);
            } catch (RejectedExecutionException e) {
                flush(); // the log is closing: send on this thread rather than drop
            }
        }
    }

    /** Sends one frame per sender for everything queued. */
    void flush() {
        flushPending.set(false); // a durable() from now on schedules another flush
        synchronized (sending) {
            Map<Batch, List<StoreFrame.Ref>> bySender = new LinkedHashMap<>();
            for (Ack a = queue.poll(); a != null; a = queue.poll()) {
                bySender.computeIfAbsent(new Batch(a.sender(), a.storeMembers()), k -> new ArrayList<>())
                        .add(a.ref());
            }
            bySender.forEach(this::send);
        }
    }

    private void send(Batch to, List<StoreFrame.Ref> refs) {
        String sender = to.sender();
        for (int i = 0; i < refs.size(); i += MAX_REFS) {
            byte[] frame = StoreControlCodec.encode(new StoreFrame.Stored(to.storeMembers(),
                    refs.subList(i, Math.min(refs.size(), i + MAX_REFS))));
            try {
                connection.multicast(ServiceType.FIFO, sender, StoreControlCodec.MESS_TYPE, frame);
            } catch (SpreadException e) {
                // the sender re-sends what it was not told is stored; a lost connection ends the member anyway
                LOG.warn("STORED for {} message(s) to {} not sent: {}", refs.size(), sender, e.getMessage());
                return;
            }
        }
    }

    /** Sends what is queued (on the calling thread). */
    @Override
    public void close() {
        flush();
    }
}
