package org.spreadjms.jms.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection's requests to the store members (SUBSCRIBE, UNSUBSCRIBE, BROWSE) waiting for their answers, by request id.
 * Answers arrive on the connection's private group (dispatcher thread, {@link #onReply}), never block it, and are
 * forgotten unless a request waits for them. A request completes once every store member in view answered (the
 * count each answer reports), or, with {@code firstSuffices}, at the first answer. A request that knows the store's
 * presence group ({@link #expect(boolean, String)}) stops waiting for a store member that leaves that group's view
 * before answering, as a PERSISTENT send does ({@link StoreReceipts}): it completes once every store member of its
 * first view that is still there answered (at least one).
 */
public final class StoreReplies {
    private final Map<Long, Request> waiting = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(System.nanoTime() & 0x7FFF_FFFF_FFFFL);
    /** Per presence group: the store members in its last view (shared with {@link StoreReceipts}). */
    private final Map<String, Set<String>> storeViews;

    StoreReplies(Map<String, Set<String>> storeViews) {
        this.storeViews = storeViews;
    }

    /** Registers a request; call before sending it (an answer may come before the send returns). */
    public Request expect(boolean firstSuffices) {
        return expect(firstSuffices, null);
    }

    /**
     * As {@link #expect(boolean)}; store members of {@code presenceGroup} (null: none known) that leave it while the
     * request waits are no longer waited for.
     */
    public Request expect(boolean firstSuffices, String presenceGroup) {
        Set<String> atStart = presenceGroup == null ? null : storeViews.get(presenceGroup);
        Request r = new Request(ids.incrementAndGet(), firstSuffices, atStart == null ? null : presenceGroup,
                atStart);
        waiting.put(r.id, r);
        return r;
    }

    /** A new view of {@code presenceGroup} was recorded (dispatcher thread). */
    void onStoreView(String presenceGroup) {
        for (Request r : waiting.values()) {
            if (presenceGroup.equals(r.presenceGroup)) {
                r.viewChanged();
            }
        }
    }

    /** An answer from store member {@code member} (dispatcher thread). */
    void onReply(String member, StoreFrame f) {
        long id;
        int members;
        if (f instanceof StoreFrame.Subscribed s) {
            id = s.requestId();
            members = s.storeMembers();
        } else if (f instanceof StoreFrame.Unsubscribed u) {
            id = u.requestId();
            members = u.storeMembers();
        } else if (f instanceof StoreFrame.Browsed b) {
            id = b.requestId();
            members = 1;
        } else {
            return;
        }
        Request r = waiting.get(id);
        if (r != null) {
            r.answered(member, members, f);
        }
    }

    /** One request's wait for answers. */
    public final class Request {
        private final long id;
        private final boolean firstSuffices;
        private final String presenceGroup;
        /** Store members in the presence group's view when the request registered (null: not known). */
        private final Set<String> atStart;
        /** Guarded by {@code this}. */
        private final Set<String> members = new HashSet<>();
        private final List<StoreFrame> answers = new ArrayList<>();
        private int storeMembers;

        private Request(long id, boolean firstSuffices, String presenceGroup, Set<String> atStart) {
            this.id = id;
            this.firstSuffices = firstSuffices;
            this.presenceGroup = presenceGroup;
            this.atStart = atStart;
        }

        private synchronized void viewChanged() {
            if (complete()) {
                notifyAll();
            }
        }

        public long id() {
            return id;
        }

        private synchronized void answered(String member, int reported, StoreFrame f) {
            if (members.add(member)) {
                answers.add(f);
            }
            storeMembers = Math.max(storeMembers, reported);
            if (complete()) {
                notifyAll();
            }
        }

        private boolean complete() {
            return !members.isEmpty() && (firstSuffices || members.size() >= storeMembers
                    || everyRemainingMemberAnswered());
        }

        /** Whether a store member in view at the start has left and every other one answered. */
        private boolean everyRemainingMemberAnswered() {
            if (presenceGroup == null) {
                return false;
            }
            return StoreDepartures.everyRemainingMemberAnswered(atStart,
                    storeViews.getOrDefault(presenceGroup, Set.of()), members);
        }

        /**
         * Waits until complete, at most {@code timeout}; the request is then forgotten whatever the outcome.
         *
         * @return the answers so far (complete or not: {@link #isComplete} tells)
         */
        public List<StoreFrame> await(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                synchronized (this) {
                    while (!complete()) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            break;
                        }
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    }
                    return List.copyOf(answers);
                }
            } finally {
                cancel();
            }
        }

        public synchronized boolean isComplete() {
            return complete();
        }

        /** The store members in view, as the answers reported it (0 before the first). */
        public synchronized int storeMembers() {
            return storeMembers;
        }

        public void cancel() {
            waiting.remove(id, this);
        }
    }
}
