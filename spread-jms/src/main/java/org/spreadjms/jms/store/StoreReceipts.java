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
 *
 * <p>With {@link #ALL} and the store's presence group named, a store member that leaves while a send waits is no
 * longer waited for: "all" means every store member in the current view. The receipt remembers which store members
 * were in the presence group's view when the send registered; once one of them has left (a view of the presence group
 * without it, handed in by {@link #onStoreView}), the receipt is complete when every one of them still in view
 * acknowledged (at least one). Members that joined since are not waited for then: a member that joins during a send
 * may not have been in the control view when the message was delivered, and then never acknowledges it. Without a
 * departure the rule above applies unchanged, so a joining member does not weaken it.
 */
public final class StoreReceipts {
    private static final Logger LOG = LoggerFactory.getLogger(StoreReceipts.class);
    /** {@code required} value meaning every store member in view. */
    public static final int ALL = -1;

    private record Key(String destination, String id) {
    }

    private final Map<Key, Receipt> waiting = new ConcurrentHashMap<>();
    /** Per presence group: the store members in its last view. */
    private final Map<String, Set<String>> storeViews = new ConcurrentHashMap<>();

    private final StoreReplies replies = new StoreReplies(storeViews);

    /** The SUBSCRIBE/UNSUBSCRIBE requests of this connection waiting for the store members' answers. */
    public StoreReplies replies() {
        return replies;
    }

    /**
     * Registers a send that waits for {@code required} store acknowledgements ({@link #ALL} or at least 1) of message
     * {@code id} in destination group {@code destination}.
     */
    public Receipt expect(String destination, String id, int required) {
        return expect(destination, id, required, null);
    }

    /**
     * As {@link #expect(String, String, int)}; with {@link #ALL}, store members of {@code presenceGroup} (null:
     * none known) that leave while the send waits are no longer waited for (see the class comment). The presence
     * group's view must be known already (the sender joined it and saw its first view).
     */
    public Receipt expect(String destination, String id, int required, String presenceGroup) {
        if (required < 1 && required != ALL) {
            throw new IllegalArgumentException("required store acknowledgements must be at least 1 or ALL, not "
                    + required);
        }
        Set<String> atStart = presenceGroup == null ? null : storeViews.get(presenceGroup);
        Receipt r = new Receipt(new Key(destination, id), required, required == ALL && atStart != null
                ? presenceGroup : null, atStart);
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

    /**
     * The store members (private groups) in a new regular view of presence group {@code presenceGroup} (dispatcher
     * thread): sends waiting for every store member stop waiting for those that left.
     */
    public void onStoreView(String presenceGroup, Set<String> storeMembers) {
        storeViews.put(presenceGroup, Set.copyOf(storeMembers));
        replies.onStoreView(presenceGroup);
        for (Receipt r : waiting.values()) {
            if (presenceGroup.equals(r.presenceGroup)) {
                r.viewChanged();
            }
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
        /** The presence group whose departures end the wait for a member (null: none). */
        private final String presenceGroup;
        /** Store members in the presence group's view when the send registered (null: not known). */
        private final Set<String> atStart;
        /** Guarded by {@code this}. */
        private final Set<String> members = new HashSet<>();
        private int storeMembers;

        private Receipt(Key key, int required, String presenceGroup, Set<String> atStart) {
            this.key = key;
            this.required = required;
            this.presenceGroup = presenceGroup;
            this.atStart = atStart;
        }

        private synchronized void viewChanged() {
            if (complete()) {
                notifyAll();
            }
        }

        private synchronized void acknowledged(String member, int reportedMembers) {
            members.add(member);
            storeMembers = Math.max(storeMembers, reportedMembers);
            if (complete()) {
                notifyAll();
            }
        }

        private boolean complete() {
            if (members.isEmpty()) {
                return false;
            }
            int needed = required == ALL ? storeMembers : Math.min(required, storeMembers);
            return members.size() >= Math.max(1, needed) || everyRemainingMemberAcknowledged();
        }

        /** Whether a store member in view at the start has left and every other one acknowledged. */
        private boolean everyRemainingMemberAcknowledged() {
            if (presenceGroup == null) {
                return false;
            }
            return StoreDepartures.everyRemainingMemberAnswered(atStart,
                    storeViews.getOrDefault(presenceGroup, Set.of()), members);
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
