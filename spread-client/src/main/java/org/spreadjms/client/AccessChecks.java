package org.spreadjms.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells a sender whether the daemon refused what it sent. Spread's daemon answers a message its access control
 * refuses with a REJECT_MESS to the sender, at once, when it reads the message; it says nothing about messages it
 * accepts. So a check sends an <em>echo</em> (a small message to this session's own private group) after the
 * messages to check: the daemon handles the session's frames in order and queues a reject before the echo's
 * delivery, so when the echo comes back, every reject for the earlier messages has already arrived.
 *
 * <p>{@link #refused} and {@link #echoed} are called by the reader thread; {@link #expect} by any thread.
 */
final class AccessChecks {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AccessChecks.class);
    /** Message type of echoes; an echo's data is {@link #MAGIC} and an 8-byte token. */
    static final short ECHO_MESS_TYPE = (short) 0x4543;
    static final long MAGIC = 0x5350524541444543L;
    static final int ECHO_BYTES = 16;

    /** One pending check: the groups it cares about and the refused requests seen for them meanwhile. */
    static final class Check {
        final long token;
        final Set<String> groups;
        final List<String> refused = new ArrayList<>();
        final CompletableFuture<List<String>> done = new CompletableFuture<>();

        Check(long token, Set<String> groups) {
            this.token = token;
            this.groups = groups;
        }
    }

    private static final int RECENT_REFUSALS = 1024;

    private record Refusal(long seq, List<String> groups) {
    }

    private final AtomicLong tokens = new AtomicLong();
    private final Map<Long, Check> pending = new ConcurrentHashMap<>();
    /** The latest refusals, so a check may also count those that arrived between a send and the check's start. */
    private final java.util.ArrayDeque<Refusal> recent = new java.util.ArrayDeque<>();
    private long refusals;

    /** A mark to take before sending: a check from it counts every refusal that arrives after the mark. */
    synchronized long mark() {
        return refusals;
    }

    /** A check counting refusals for {@code groups} since {@code mark} (at most the last 1024 are remembered). */
    Check expect(Collection<String> groups, long mark) {
        long token = tokens.incrementAndGet();
        Check c = new Check(token, Set.copyOf(groups));
        synchronized (this) {
            for (Refusal r : recent) {
                if (r.seq() > mark) {
                    add(c, r.groups());
                }
            }
            pending.put(token, c);
        }
        return c;
    }

    private static void add(Check c, List<String> groups) {
        synchronized (c) {
            for (String g : groups) {
                if (c.groups.contains(g) && !c.refused.contains(g)) {
                    c.refused.add(g);
                }
            }
        }
    }

    void forget(Check c) {
        pending.remove(c.token);
    }

    /** A reject arrived for a message to {@code groups}. */
    synchronized void refused(List<String> groups) {
        recent.addLast(new Refusal(++refusals, List.copyOf(groups)));
        if (recent.size() > RECENT_REFUSALS) {
            recent.removeFirst();
        }
        for (Check c : pending.values()) {
            add(c, groups);
        }
    }

    /**
     * A REJECT_MESS arrived: fails a waiting join of the refused group, records a refused message for the checks,
     * logs it at WARN. Leaves are never refused by the embedded daemon; a refused one is only logged.
     */
    void onReject(DataMessage d, String self, MembershipTracker tracker) {
        List<String> groups = new ArrayList<>(d.groups());
        if (!groups.isEmpty() && groups.get(groups.size() - 1).equals(self)) {
            groups.remove(groups.size() - 1); // the daemon appends the sender's own private group
        }
        boolean join = (d.serviceTypeWord() & SpreadConstants.CAUSED_BY_JOIN) != 0;
        boolean leave = (d.serviceTypeWord() & SpreadConstants.CAUSED_BY_LEAVE) != 0;
        String what = join ? "join of " : leave ? "leave of " : "message to ";
        LOG.warn("{}: the daemon's access control refused the {}{}", self, what, groups);
        if (join && !groups.isEmpty()) {
            tracker.joinRefused(groups.get(0), new SpreadException.AccessRefusedException("the daemon's access"
                    + " control refused joining group '" + groups.get(0) + "'", groups, null));
        } else if (!join && !leave) {
            refused(groups);
        }
    }

    /** Whether a data message is an echo of this session's: from itself, to itself only, with the echo shape. */
    static boolean isEcho(DataMessage m, String self) {
        byte[] d = m.data();
        return m.messType() == ECHO_MESS_TYPE && d.length == ECHO_BYTES && self.equals(m.sender())
                && m.groups().size() == 1 && self.equals(m.groups().get(0)) && readLong(d, 0) == MAGIC;
    }

    /** An echo came back: completes its check with the groups refused meanwhile. */
    void echoed(DataMessage m) {
        Check c = pending.remove(readLong(m.data(), 8));
        if (c != null) {
            synchronized (c) {
                c.done.complete(List.copyOf(c.refused));
            }
        }
    }

    void fail(SpreadException cause) {
        pending.values().forEach(c -> c.done.completeExceptionally(cause));
        pending.clear();
    }

    static byte[] echoData(long token) {
        byte[] b = new byte[ECHO_BYTES];
        writeLong(b, 0, MAGIC);
        writeLong(b, 8, token);
        return b;
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static void writeLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
