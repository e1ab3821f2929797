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
 * {@code timeoutNanos}, or whose sender leaves, is discarded with a log line. Called on one thread.
 */
final class Reassembly {
    private static final Logger LOG = LoggerFactory.getLogger(Reassembly.class);
    private static final int REFUSED_REMEMBERED = 1024;

    private record Key(String sender, long key) {
    }

    private static final class Partial {
        final byte[][] pieces;
        final long total;
        int received;
        long bytes;
        long lastNanos;

        Partial(int count, long total) {
            this.pieces = new byte[count][];
            this.total = total;
        }
    }

    private final long maxMessageBytes;
    private final long maxPendingBytes;
    private final long timeoutNanos;
    private final Map<Key, Partial> partials = new HashMap<>();
    /** Messages refused for their size, so each is reported once however many pieces it has (bounded). */
    private final Map<Key, Boolean> refused = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
            return size() > REFUSED_REMEMBERED;
        }
    };
    private final Consumer<String> refusals;
    private long pendingBytes;

    Reassembly(long maxMessageBytes, long maxPendingBytes, long timeoutNanos) {
        this(maxMessageBytes, maxPendingBytes, timeoutNanos, reason -> { });
    }

    /** @param refusals told once per message refused for its size (the text says which and why) */
    Reassembly(long maxMessageBytes, long maxPendingBytes, long timeoutNanos, Consumer<String> refusals) {
        this.maxMessageBytes = maxMessageBytes;
        this.maxPendingBytes = maxPendingBytes;
        this.timeoutNanos = timeoutNanos;
        this.refusals = refusals;
    }

    /** Adds a fragment; returns the whole message when this was its last missing piece, else null. */
    byte[] add(String sender, Fragment f) {
        long now = System.nanoTime();
        expire(now);
        Key k = new Key(sender, f.key());
        if (f.totalLength() > maxMessageBytes) {
            if (refused.put(k, Boolean.TRUE) == null) {
                String reason = "refused a message of " + f.totalLength() + " bytes from " + sender
                        + ": larger than this connection's maxMessageBytes (" + maxMessageBytes + " bytes)";
                LOG.warn(reason);
                refusals.accept(reason);
            }
            return null;
        }
        Partial p = partials.get(k);
        if (p == null) {
            p = new Partial(f.count(), f.totalLength());
            partials.put(k, p);
        } else if (p.pieces.length != f.count() || p.total != f.totalLength()) {
            LOG.warn("dropped message {} from {}: its fragments disagree on count or length", f.key(), sender);
            discard(k, p);
            return null;
        }
        if (p.pieces[f.index()] != null) {
            return null; // a duplicate piece
        }
        if (p.bytes + f.length() > p.total || pendingBytes + f.length() > maxPendingBytes) {
            LOG.warn("dropped message {} from {}: pieces exceed its length or the reassembly memory bound of {} bytes",
                    f.key(), sender, maxPendingBytes);
            discard(k, p);
            return null;
        }
        byte[] piece = new byte[f.length()];
        System.arraycopy(f.bytes(), f.offset(), piece, 0, f.length());
        p.pieces[f.index()] = piece;
        p.received++;
        p.bytes += piece.length;
        p.lastNanos = now;
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
    void sendersGone(List<String> senders) {
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

    int partialCount() {
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

    private void discard(Key k, Partial p) {
        partials.remove(k);
        pendingBytes -= p.bytes;
    }
}
