package org.spreadjms.jms.provider;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts fragmented messages together, bounded in memory: at most {@code maxMessageBytes} per message and
 * {@code maxPendingBytes} in all partial messages; a message that would pass a bound, or that stops growing for
 * {@code timeoutNanos}, or whose sender leaves, is discarded with a log line, and its later pieces are ignored. Called
 * on one thread.
 *
 * <p>{@link #inOrder} is the variant for a totally ordered stream that several receivers must judge alike (store
 * members): no clock (a message is never discarded for being slow), and its pieces must come in index order, so a
 * message whose first pieces came before this receiver joined is recognised at once and ignored instead of waiting.
 */
public final class Reassembly {
    private static final Logger LOG = LoggerFactory.getLogger(Reassembly.class);
    private static final int IGNORED_REMEMBERED = 1024;

    private record Key(String sender, long key) {
    }

    private static final class Partial {
        final byte[][] pieces;
        final long total;
        int received;
        long bytes;
        long lastNanos;
        /** When its last piece came, counted in pieces (for {@link #inOrder}'s eviction: no clock). */
        long lastPiece;

        Partial(int count, long total) {
            this.pieces = new byte[count][];
            this.total = total;
        }
    }

    private final long maxMessageBytes;
    private final long maxPendingBytes;
    private final long timeoutNanos;
    private final Map<Key, Partial> partials = new HashMap<>();
    /**
     * Messages refused or dropped, so that their later pieces are ignored (instead of starting a partial message
     * that can never complete) and a refusal is reported once however many pieces it has; true for a message whose
     * first pieces came before this receiver joined ({@link #inOrder}). Bounded; an entry goes when its message's
     * last piece passes or its sender leaves.
     */
    private final Map<Key, Boolean> ignored = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
            return size() > IGNORED_REMEMBERED;
        }
    };
    private final Consumer<String> refusals;
    private final boolean inOrder;
    private final Consumer<String> missed;
    private long pendingBytes;
    private long piecesAdded;

    public Reassembly(long maxMessageBytes, long maxPendingBytes, long timeoutNanos) {
        this(maxMessageBytes, maxPendingBytes, timeoutNanos, reason -> { });
    }

    /** @param refusals told once per message refused for its size (the text says which and why) */
    public Reassembly(long maxMessageBytes, long maxPendingBytes, long timeoutNanos, Consumer<String> refusals) {
        this(maxMessageBytes, maxPendingBytes, timeoutNanos, refusals, false, what -> { });
    }

    private Reassembly(long maxMessageBytes, long maxPendingBytes, long timeoutNanos, Consumer<String> refusals,
                       boolean inOrder, Consumer<String> missed) {
        this.maxMessageBytes = maxMessageBytes;
        this.maxPendingBytes = maxPendingBytes;
        this.timeoutNanos = timeoutNanos;
        this.refusals = refusals;
        this.inOrder = inOrder;
        this.missed = missed;
    }

    /**
     * For a stream where each sender's pieces arrive in order and every receiver must decide alike (SAFE or AGREED
     * delivery at store members): nothing expires by time; a piece that is not the next of its message (the first
     * ones came before this receiver joined) makes the message ignored. Partial messages go when their sender
     * leaves ({@link #sendersGone}), or, when a piece would pass the memory bound, the partial messages that grew
     * least recently go first (a sender that stopped mid-message without leaving, unseen, holds memory only until
     * then).
     *
     * @param missed told (what, from whom) when the last piece of a message whose first pieces came before this
     *               receiver joined has passed: receivers that had every piece completed it there
     */
    public static Reassembly inOrder(long maxMessageBytes, long maxPendingBytes, Consumer<String> refusals,
                                     Consumer<String> missed) {
        return new Reassembly(maxMessageBytes, maxPendingBytes, Long.MAX_VALUE, refusals, true, missed);
    }

    /** Adds a fragment; returns the whole message when this was its last missing piece, else null. */
    public byte[] add(String sender, Fragment f) {
        long now = System.nanoTime();
        if (timeoutNanos != Long.MAX_VALUE) {
            expire(now);
        }
        Key k = new Key(sender, f.key());
        if (ignored.containsKey(k)) {
            if (f.index() == f.count() - 1) {
                // its last piece: forget it (the key may come again, from a sender that reconnected)
                boolean joinedLate = ignored.remove(k);
                if (joinedLate) {
                    missed.accept(missedText(sender, f));
                }
            }
            return null;
        }
        if (f.totalLength() > maxMessageBytes) {
            ignored.put(k, Boolean.FALSE);
            String reason = "refused a message of " + f.totalLength() + " bytes from " + sender
                    + ": larger than this " + (inOrder ? "receiver's" : "connection's") + " maxMessageBytes ("
                    + maxMessageBytes + " bytes)";
            LOG.warn(reason);
            refusals.accept(reason);
            return null;
        }
        Partial p = partials.get(k);
        if (p == null) {
            if (inOrder && f.index() != 0) {
                LOG.info("ignoring message {} from {}: its first {} of {} pieces came before this receiver joined",
                        f.key(), sender, f.index(), f.count());
                if (f.index() == f.count() - 1) {
                    missed.accept(missedText(sender, f));
                } else {
                    ignored.put(k, Boolean.TRUE);
                }
                return null;
            }
            p = new Partial(f.count(), f.totalLength());
            partials.put(k, p);
        } else if (p.pieces.length != f.count() || p.total != f.totalLength()) {
            LOG.warn("dropped message {} from {}: its fragments disagree on count or length", f.key(), sender);
            drop(k, p, f);
            return null;
        } else if (inOrder && f.index() != p.received) {
            LOG.warn("dropped message {} from {}: piece {} came when {} was expected", f.key(), sender, f.index(),
                    p.received);
            drop(k, p, f);
            return null;
        }
        if (p.pieces[f.index()] != null) {
            return null; // a duplicate piece
        }
        if (inOrder && p.bytes + f.length() <= p.total) {
            evictFor(k, f.length());
        }
        if (p.bytes + f.length() > p.total || pendingBytes + f.length() > maxPendingBytes) {
            LOG.warn("dropped message {} from {}: pieces exceed its length or the reassembly memory bound of {} bytes",
                    f.key(), sender, maxPendingBytes);
            drop(k, p, f);
            return null;
        }
        byte[] piece = new byte[f.length()];
        System.arraycopy(f.bytes(), f.offset(), piece, 0, f.length());
        p.pieces[f.index()] = piece;
        p.received++;
        p.bytes += piece.length;
        p.lastNanos = now;
        p.lastPiece = ++piecesAdded;
        pendingBytes += piece.length;
        if (p.received < p.pieces.length) {
            return null;
        }
        discard(k, p);
        if (p.bytes != p.total) {
            LOG.warn("dropped message {} from {}: {} bytes arrived, {} announced", f.key(), sender, p.bytes, p.total);
            return null;
        }
        byte[] whole = new byte[(int) p.total];
        int at = 0;
        for (byte[] piece2 : p.pieces) {
            System.arraycopy(piece2, 0, whole, at, piece2.length);
            at += piece2.length;
        }
        return whole;
    }

    /** Discards the partial messages of senders that left. */
    public void sendersGone(List<String> senders) {
        ignored.keySet().removeIf(k -> senders.contains(k.sender()));
        for (Iterator<Map.Entry<Key, Partial>> it = partials.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Partial> e = it.next();
            if (senders.contains(e.getKey().sender())) {
                LOG.warn("discarded {} of {} pieces of message {} from {}: the sender left mid-message",
                        e.getValue().received, e.getValue().pieces.length, e.getKey().key(), e.getKey().sender());
                pendingBytes -= e.getValue().bytes;
                it.remove();
            }
        }
    }

    /** Messages being put together. */
    public int partialCount() {
        return partials.size();
    }

    private void expire(long now) {
        for (Iterator<Map.Entry<Key, Partial>> it = partials.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Partial> e = it.next();
            if (now - e.getValue().lastNanos > timeoutNanos) {
                LOG.warn("discarded {} of {} pieces of message {} from {}: no piece for {} ms",
                        e.getValue().received, e.getValue().pieces.length, e.getKey().key(), e.getKey().sender(),
                        timeoutNanos / 1_000_000);
                pendingBytes -= e.getValue().bytes;
                it.remove();
            }
        }
    }

    /** Discards other partial messages, those that grew least recently first, until {@code bytes} more fit. */
    private void evictFor(Key keep, long bytes) {
        while (pendingBytes + bytes > maxPendingBytes) {
            Map.Entry<Key, Partial> oldest = null;
            for (Map.Entry<Key, Partial> e : partials.entrySet()) {
                if (!e.getKey().equals(keep) && (oldest == null
                        || e.getValue().lastPiece < oldest.getValue().lastPiece)) {
                    oldest = e;
                }
            }
            if (oldest == null) {
                return;
            }
            Partial p = oldest.getValue();
            LOG.warn("discarded {} of {} pieces of message {} from {}: the reassembly memory bound of {} bytes is"
                    + " reached and it grew least recently", p.received, p.pieces.length, oldest.getKey().key(),
                    oldest.getKey().sender(), maxPendingBytes);
            partials.remove(oldest.getKey());
            pendingBytes -= p.bytes;
            ignored.put(oldest.getKey(), Boolean.FALSE);
        }
    }

    private static String missedText(String sender, Fragment f) {
        return "message " + f.key() + " from " + sender + " (" + f.totalLength() + " bytes in " + f.count()
                + " pieces) completed, but its first pieces came before this receiver joined";
    }

    /** Discards a partial message and ignores its further pieces. */
    private void drop(Key k, Partial p, Fragment f) {
        discard(k, p);
        ignore(k, f);
    }

    private void ignore(Key k, Fragment f) {
        if (f.index() != f.count() - 1) {
            ignored.put(k, Boolean.FALSE); // else its last piece is past: nothing more will come
        }
    }

    private void discard(Key k, Partial p) {
        partials.remove(k);
        pendingBytes -= p.bytes;
    }
}
