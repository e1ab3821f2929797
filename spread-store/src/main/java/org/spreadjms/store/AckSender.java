package org.spreadjms.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadException;
import org.spreadjms.jms.store.StoreControlCodec;
import org.spreadjms.jms.store.StoreFrame;

/**
 * Sends STORED acknowledgements to senders' private groups from its own thread ({@code store-acks}): whatever became
 * durable while the previous sends ran goes out as one frame per sender, so acknowledgements batch as appends do.
 * {@link #durable} is called on the log's callback thread and never blocks.
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

    private static final Ack STOP = new Ack("", null, 0);

    private final SpreadConnection connection;
    private final LinkedBlockingQueue<Ack> queue = new LinkedBlockingQueue<>();
    private final Thread thread;

    AckSender(SpreadConnection connection) {
        this.connection = connection;
        this.thread = new Thread(this::run, "store-acks-" + connection.privateGroup());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * The message {@code id} of {@code sender} in {@code destination} is durable here; {@code storeMembers} is the
     * size of the control view when it was delivered.
     */
    void durable(String sender, String destination, String id, int storeMembers) {
        queue.add(new Ack(sender, new StoreFrame.Ref(destination, id), storeMembers));
    }

    private void run() {
        List<Ack> drained = new ArrayList<>();
        try {
            while (true) {
                Ack first = queue.take();
                drained.add(first);
                queue.drainTo(drained);
                Map<Batch, List<StoreFrame.Ref>> bySender = new LinkedHashMap<>();
                boolean stop = false;
                for (Ack a : drained) {
                    if (a == STOP) {
                        stop = true;
                    } else {
                        bySender.computeIfAbsent(new Batch(a.sender(), a.storeMembers()), k -> new ArrayList<>())
                                .add(a.ref());
                    }
                }
                drained.clear();
                bySender.forEach(this::send);
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    /** Sends what is queued, then stops the thread (bounded wait). */
    @Override
    public void close() {
        queue.add(STOP);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
