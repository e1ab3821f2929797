package org.spreadjms.daemon;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.TreeSet;

import org.spreadjms.client.wire.FrameDecoder;
import org.spreadjms.client.wire.GroupNames;

/**
 * One client connection: its handshake state, frame decoder, the groups it belongs to and its outbound queue. Used
 * only by the selector thread.
 *
 * <p>The outbound queue holds whole frames; a frame delivered to many sessions is the same array in every queue.
 * {@link #headOffset} counts the bytes of the first frame that already went out in a partial write.
 */
final class Session {
    enum State { HANDSHAKE, OPEN, CLOSED }

    final long serial;
    final SocketChannel channel;
    final SelectionKey key;
    final long handshakeDeadlineNanos;
    final HandshakeParser handshake = new HandshakeParser();
    /** Names of the groups this session is in, in byte order (the order disconnect notices go out). */
    final TreeSet<String> groups = new TreeSet<>();

    State state = State.HANDSHAKE;
    FrameDecoder decoder;
    /** Index of the daemon (of the segment) the client connected to. */
    int daemon;
    String privateName;
    String privateGroup;
    byte[] privateGroupBytes;
    boolean wantsMembership;
    /** Remote address, for the log and the login throttle. */
    java.net.SocketAddress remote;
    /** The security policy in force when the handshake began; used for the whole handshake. */
    SecurityPolicy policy;
    /** The authentication exchange under way, or null. */
    ServerExchange exchange;
    /** An exchange is finished and its verdict waits in the gatekeeper's queue: ignore input until then. */
    boolean verdictPending;
    /** Who the session authenticated as (anonymous until then). */
    Principal principal = Principal.ANONYMOUS;
    /** The ACL's write decisions for this session's destinations, valid for {@link #writeCachePolicy} only. */
    final java.util.HashMap<String, Boolean> writeCache = new java.util.HashMap<>();
    SecurityPolicy writeCachePolicy;
    /** Refusals of this session logged at WARN so far (later ones go to DEBUG, so a client cannot flood the log). */
    int refusalWarnings;

    private final ArrayDeque<byte[]> outbound = new ArrayDeque<>();
    private int headOffset;
    /** Bytes of the frames in {@link #outbound}, counting a partly written head frame whole. */
    private long queuedBytes;
    /** Whether the session is on the loop's list of sessions to flush. */
    boolean flushScheduled;
    /** Marks the session as already targeted by the message being routed (one copy per target). */
    long routeMark;
    /** Congested sessions this client sent to and waits for; it is not read while this is above zero. */
    int waitingFor;
    /**
     * Bytes read from this client but not processed because it had to wait (at most one read); processed before
     * anything more is read from it.
     */
    ByteBuffer held;

    Session(long serial, SocketChannel channel, SelectionKey key, long handshakeDeadlineNanos) {
        this.serial = serial;
        this.channel = channel;
        this.key = key;
        this.handshakeDeadlineNanos = handshakeDeadlineNanos;
    }

    /** Takes the private name (after the uniqueness check) and derives the private group name. */
    void named(String name, String daemonName) {
        privateName = name;
        privateGroup = "#" + name + "#" + daemonName;
        privateGroupBytes = privateGroup.getBytes(StandardCharsets.ISO_8859_1);
    }

    boolean isOpen() {
        return state == State.OPEN;
    }

    /** Whether reading from this client is paused for back-pressure (handshakes are never paused). */
    boolean readPaused() {
        return state == State.OPEN && (waitingFor > 0 || held != null);
    }

    int queued() {
        return outbound.size();
    }

    long queuedBytes() {
        return queuedBytes;
    }

    void enqueue(byte[] frame) {
        outbound.addLast(frame);
        queuedBytes += frame.length;
    }

    void discardQueue() {
        outbound.clear();
        headOffset = 0;
        queuedBytes = 0;
    }

    boolean hasQueued() {
        return !outbound.isEmpty();
    }

    /**
     * Copies queued bytes, starting at the unwritten part of the first frame, into {@code buf} until it is full or
     * the queue is exhausted.
     */
    void fill(ByteBuffer buf) {
        int offset = headOffset;
        for (byte[] frame : outbound) {
            int n = Math.min(frame.length - offset, buf.remaining());
            buf.put(frame, offset, n);
            offset = 0;
            if (!buf.hasRemaining()) {
                return;
            }
        }
    }

    /** Drops {@code written} bytes from the front of the queue; returns how many frames were completed. */
    int consumed(int written) {
        int frames = 0;
        int left = written;
        while (left > 0) {
            byte[] head = outbound.peekFirst();
            int rest = head.length - headOffset;
            if (left < rest) {
                headOffset += left;
                break;
            }
            left -= rest;
            outbound.pollFirst();
            queuedBytes -= head.length;
            headOffset = 0;
            frames++;
        }
        return frames;
    }

    /**
     * Whether a 32-byte sender slot names this session: the bytes up to the first NUL (byte 31 counts as NUL, as the
     * real daemon forces it) equal the private group name.
     */
    boolean isSenderSlot(byte[] frame, int offset) {
        int n = privateGroupBytes.length;
        for (int i = 0; i < n; i++) {
            if (frame[offset + i] != privateGroupBytes[i]) {
                return false;
            }
        }
        return n == GroupNames.SLOT_BYTES - 1 || frame[offset + n] == 0;
    }

    @Override
    public String toString() {
        return privateGroup != null ? privateGroup : "connection#" + serial;
    }
}
