package org.spreadjms.jms.store;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PERSISTENT sends of one connection that wait for store members' STORED acknowledgements (storeAcks), by
 * destination group and message id. A sender registers with {@link #expect} before it multicasts (an
 * acknowledgement can come back before the multicast call returns), then {@link Receipt#await}s; the connection's
 * dispatcher thread hands each STORED frame to {@link #onStored}, which never blocks.
 *
 * <p>A receipt is complete when {@code min(required, storeMembers)} distinct store members acknowledged it, where
 * {@code storeMembers} is what their frames report (the size of the store's control view when the message was
 * delivered, the same in all of them); {@link #ALL} requires every one of them. An acknowledgement for a message
 * nobody waits for (a late one, after a timeout) is ignored.
 */
public final class StoreReceipts {
    private static final Logger LOG = LoggerFactory.getLogger(StoreReceipts.class);
    /** {@code required} value meaning every store member in view. */
    public static final int ALL = -1;

    private record Key(String destination, String id) {
    }

    private final Map<Key, Receipt> waiting = new ConcurrentHashMap<>();

    private final StoreReplies replies = new StoreReplies();

    /** The SUBSCRIBE/UNSUBSCRIBE requests of this connection waiting for the store members' answers. */
    public StoreReplies replies() {
        return replies;
    }

    /**
     * Registers a send that waits for {@code required} store acknowledgements ({@link #ALL} or at least 1) of message
     * {@code id} in destination group {@code destination}.
     */
    public Receipt expect(String destination, String id, int required) {
        if (required < 1 && required != ALL) {
            throw new IllegalArgumentException("required store acknowledgements must be at least 1 or ALL, not "
                    + required);
        }
        Receipt r = new Receipt(new Key(destination, id), required);
        if (waiting.putIfAbsent(r.key, r) != null) {
            throw new IllegalStateException("a send of " + id + " to " + destination + " already waits");
        }
        return r;
    }

    /** Sends waiting now (tests and diagnostics). */
    public int waitingCount() {
        return waiting.size();
    }

    /**
     * A store control frame that arrived on the connection's private group from {@code sender} (dispatcher thread).
     * Frames other than STORED and malformed frames are logged and ignored: they come from the network.
     */
    public void onFrame(String sender, byte[] data) {
        StoreFrame f;
        try {
            f = StoreControlCodec.decode(data);
        } catch (MalformedStoreFrameException e) {
            LOG.warn("dropped a malformed store frame from {}: {}", sender, e.getMessage());
            return;
        }
        if (f instanceof StoreFrame.Stored s) {
            onStored(sender, s);
        } else if (f instanceof StoreFrame.Subscribed || f instanceof StoreFrame.Unsubscribed
                || f instanceof StoreFrame.Browsed) {
            replies.onReply(sender, f);
        } else {
            LOG.debug("ignored a {} store frame from {} on the private group", f.kind(), sender);
        }
    }

    /** A STORED frame from store member {@code member}. */
    public void onStored(String member, StoreFrame.Stored stored) {
        for (StoreFrame.Ref ref : stored.refs()) {
            Receipt r = waiting.get(new Key(ref.destination(), ref.id()));
            if (r != null) {
                r.acknowledged(member, stored.storeMembers());
            }
        }
    }

    /** One send's wait for acknowledgements. */
    public final class Receipt {
        private final Key key;
        private final int required;
        /** Guarded by {@code this}. */
        private final Set<String> members = new HashSet<>();
        private int storeMembers;

        private Receipt(Key key, int required) {
            this.key = key;
            this.required = required;
        }

        private synchronized void acknowledged(String member, int reportedMembers) {
            members.add(member);
            storeMembers = Math.max(storeMembers, reportedMembers);
            if (complete()) {
                notifyAll();
            }
        }

        private boolean complete() {
            int needed = required == ALL ? storeMembers : Math.min(required, storeMembers);
            return !members.isEmpty() && members.size() >= Math.max(1, needed);
        }

        /**
         * Waits until enough store members acknowledged, at most {@code timeout}; the receipt is then forgotten
         * whatever the outcome.
         *
         * @return true when complete, false on timeout
         */
        public boolean await(Duration timeout) throws InterruptedException {
            try {
                return awaitStep(timeout);
            } finally {
                cancel();
            }
        }

        /**
         * Waits until enough store members acknowledged, at most {@code timeout}, and keeps waiting for
         * acknowledgements after a timeout (for a caller that waits in steps; {@link #cancel} ends it).
         *
         * @return true when complete, false on timeout
         */
        public boolean awaitStep(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (this) {
                while (!complete()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                return true;
            }
        }

        /** Stops waiting (the send failed, or the wait ended). */
        public void cancel() {
            waiting.remove(key, this);
        }

        /** Distinct store members that acknowledged so far. */
        public synchronized int acknowledgements() {
            return members.size();
        }

        /** The store members in view as the acknowledgements reported it (0 before the first). */
        public synchronized int storeMembers() {
            return storeMembers;
        }

        public String destination() {
            return key.destination();
        }

        public String id() {
            return key.id();
        }
    }
}
