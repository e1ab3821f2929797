package org.spreadjms.daemon;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.SpreadConstants;
import org.spreadjms.client.wire.FrameDecoder;
import org.spreadjms.client.wire.Handshake;
import org.spreadjms.client.wire.FrameHeader;
import org.spreadjms.client.wire.MalformedFrameException;
import org.spreadjms.client.wire.RawFrame;

/**
 * The daemon's only thread: accepts connections, runs handshakes, reads frames and hands each complete, validated
 * frame to the {@link Sequencer} at once, in read order, then writes what the sequencer queued.
 *
 * <p>Reads and writes go through two buffers owned by this thread; sessions keep no buffers of their own beyond their
 * decoder's partial frame, their queue of frames, and the unprocessed rest of one read while they wait for a
 * congested session ({@link Backpressure}). Queued frames are written at the end of each selector round, many small
 * frames per system call. A session whose queue is full when one more frame must be queued is flushed once more and,
 * if that does not make room, cut off (as Spread does with a client that stops reading).
 *
 * <p>Any failure while handling one session closes that session only.
 */
final class SelectorLoop implements Runnable, Sequencer.Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(SelectorLoop.class);
    private static final int IO_BUFFER_BYTES = 256 * 1024;
    private static final int ACCEPTS_PER_ROUND = 64;
    /** Header, first group slot and the start of the data. */
    private static final int TRACE_DUMP_BYTES = 96;

    private final Selector selector;
    private final List<ServerSocketChannel> servers;
    private final Segment segment;
    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> tasks =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final DaemonLimits limits;
    private final DaemonStats stats;
    private final SessionDirectory directory = new SessionDirectory();
    private final GroupRegistry groups;
    private final Sequencer sequencer;
    private final FrameValidator validator;
    private final Gatekeeper gatekeeper;
    private final Admission admission;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(IO_BUFFER_BYTES);
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(IO_BUFFER_BYTES);
    /** Sessions in handshake, in accept order, which is also deadline order. */
    private final ArrayDeque<Session> handshaking = new ArrayDeque<>();
    private final List<Session> toFlush = new ArrayList<>();
    private final ArrayDeque<Session> pendingDisconnects = new ArrayDeque<>();
    private final Backpressure backpressure;
    private final Duration congestionTimeout;
    /** Clients that no longer wait for a congested session: their held bytes are processed, then they are read. */
    private final ArrayDeque<Session> toResume = new ArrayDeque<>();
    /** The client whose frame the sequencer is processing (null outside that): it waits if a target is congested. */
    private Session routing;
    private volatile boolean running = true;
    private long serial;

    /**
     * @param servers one listening channel per daemon of the segment, registered for OP_ACCEPT with the daemon's
     *                index as attachment
     */
    SelectorLoop(Selector selector, List<ServerSocketChannel> servers, Segment segment, DaemonLimits limits,
                 Duration congestionTimeout, GroupRegistry groups, DaemonStats stats, Gatekeeper gatekeeper) {
        this.selector = selector;
        this.servers = List.copyOf(servers);
        this.segment = segment;
        this.limits = limits;
        this.groups = groups;
        this.stats = stats;
        this.gatekeeper = gatekeeper;
        this.admission = new Admission(segment, directory, limits, stats, gatekeeper, new Admission.Connections() {
            @Override
            public void flush(Session s) throws IOException {
                SelectorLoop.this.flush(s);
            }

            @Override
            public void close(Session s) {
                SelectorLoop.this.close(s);
            }

            @Override
            public void drainDisconnects() {
                SelectorLoop.this.drainDisconnects();
            }
        });
        this.sequencer = new Sequencer(segment, groups, directory, this, stats, gatekeeper::policy);
        this.validator = new FrameValidator(limits, groups);
        this.congestionTimeout = congestionTimeout;
        this.backpressure = new Backpressure(limits.maxQueuedMessages(), limits.maxQueuedBytes(),
                congestionTimeout.toNanos());
    }

    /** Asks the loop to end; it closes every connection on its way out. */
    void stop() {
        running = false;
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running) {
                try {
                    round();
                } catch (IOException | RuntimeException e) {
                    // a fault outside any one session (the selector itself); keep serving
                    LOG.error("selector round failed", e);
                }
            }
        } catch (ClosedSelectorException e) {
            LOG.debug("selector closed", e);
        } finally {
            closeEverything();
        }
    }

    private void round() throws IOException {
        long timeoutMillis = expireHandshakes();
        long verdicts = gatekeeper.millisToNextDue(System.nanoTime());
        if (verdicts > 0 && (timeoutMillis == 0 || verdicts < timeoutMillis)) {
            timeoutMillis = verdicts;
        }
        long congestion = backpressure.millisToDeadline();
        if (congestion > 0 && (timeoutMillis == 0 || congestion < timeoutMillis)) {
            timeoutMillis = congestion;
        }
        if (toResume.isEmpty()) {
            selector.select(timeoutMillis);
        } else {
            selector.selectNow();
        }
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
            drainDisconnects();
        }
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            if (!key.isValid()) {
                continue;
            }
            if (key.isAcceptable()) {
                acceptAll((ServerSocketChannel) key.channel(), (Integer) key.attachment());
            } else {
                handle((Session) key.attachment(), key);
            }
        }
        resumeWaiting();
        for (Gatekeeper.Verdict v : gatekeeper.takeDue(System.nanoTime())) {
            admission.answer(v);
        }
        flushAll();
        cutOffCongested();
        stats.sessions = directory.openSessions();
        stats.groups = groups.size();
        stats.congestedSessions = backpressure.congestedSessions();
    }

    /** Runs a task on the selector thread, between rounds (network changes of a segment). */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    Sequencer sequencer() {
        return sequencer;
    }

    /**
     * Daemon {@code daemon} of the segment crashes (selector thread only): the others see its clients go as in a
     * partition ({@code next}, the partition without it, {@link Sequencer#network}); then every connection to it is
     * closed without a word (its clients see the socket end) and it stops listening, so connecting to its port fails.
     */
    void crash(int daemon, int[] next) {
        sequencer.network(next);
        for (SelectionKey key : List.copyOf(selector.keys())) {
            if (key.attachment() instanceof Session s && s.daemon == daemon) {
                close(s);
            }
        }
        drainDisconnects();
        closeQuietly(servers.get(daemon));
        LOG.info("daemon {} of the segment crashed", segment.name(daemon));
    }

    private void acceptAll(ServerSocketChannel server, int daemon) {
        for (int i = 0; i < ACCEPTS_PER_ROUND; i++) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                LOG.warn("accept failed: {}", e.toString());
                return;
            }
            if (ch == null) {
                return;
            }
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.setOption(StandardSocketOptions.SO_RCVBUF, 200 * 1024);
                ch.setOption(StandardSocketOptions.SO_SNDBUF, 200 * 1024);
                if (directory.connections() >= limits.maxSessions()) {
                    LOG.warn("refusing connection from {}: {} sessions is the limit", ch.getRemoteAddress(),
                            limits.maxSessions());
                    stats.handshakeRejects++;
                    ch.write(ByteBuffer.wrap(new byte[] {(byte) SpreadConstants.REJECT_QUOTA}));
                    ch.close();
                    continue;
                }
                SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
                long deadline = System.nanoTime() + limits.handshakeTimeout().toNanos();
                Session s = new Session(++serial, ch, key, deadline);
                s.daemon = daemon;
                s.remote = ch.getRemoteAddress();
                s.policy = gatekeeper.policy();
                key.attach(s);
                directory.connected();
                handshaking.addLast(s);
                LOG.debug("connection#{} from {}", s.serial, ch.getRemoteAddress());
            } catch (IOException e) {
                LOG.debug("connection failed while being accepted", e);
                closeQuietly(ch);
            }
        }
    }

    private void handle(Session s, SelectionKey key) {
        try {
            if (key.isWritable()) {
                flush(s);
            }
            if (key.isValid() && key.isReadable() && !s.readPaused()) {
                read(s);
            }
        } catch (IOException e) {
            LOG.debug("{}: connection failed: {}", s, e.toString());
            close(s);
        } catch (RuntimeException e) {
            LOG.warn("{}: closing the session after an internal error", s, e);
            close(s);
        }
        drainDisconnects();
    }

    private void read(Session s) throws IOException {
        readBuffer.clear();
        int n = s.channel.read(readBuffer);
        if (n > 0) {
            QuickAck.request(s.channel);
        }
        if (n < 0) {
            LOG.debug("{}: end of stream{}", s, s.decoder != null && s.decoder.midFrame() ? " inside a frame" : "");
            close(s);
            return;
        }
        readBuffer.flip();
        if (s.state == Session.State.HANDSHAKE) {
            admission.read(s, readBuffer);
        }
        if (s.isOpen()) {
            frames(s, readBuffer);
        }
    }

    /** Processes the complete frames in {@code in}, until it is used up or the client must wait. */
    private void frames(Session s, ByteBuffer in) {
        while (s.isOpen()) {
            if (s.waitingFor > 0) {
                hold(s, in);
                return;
            }
            RawFrame f;
            try {
                f = s.decoder.decode(in);
            } catch (MalformedFrameException e) {
                malformed(s, e.getMessage());
                return;
            }
            if (f == null) {
                return;
            }
            String problem = validator.check(f, s);
            if (problem != null) {
                malformed(s, problem);
                return;
            }
            if (LOG.isTraceEnabled()) {
                LOG.trace("{} -> {}: {}", s, Sequencer.describe(f), HexFormat.ofDelimiter(" ")
                        .formatHex(f.bytes(), 0, Math.min(f.bytes().length, TRACE_DUMP_BYTES)));
            }
            routing = s;
            try {
                sequencer.process(s, f);
            } finally {
                routing = null;
            }
            drainDisconnects();
        }
    }

    /** Keeps the unprocessed rest of a read from a client that must wait (the read buffer is reused). */
    private void hold(Session s, ByteBuffer in) {
        if (!in.hasRemaining()) {
            return;
        }
        s.held = in != readBuffer ? in : ByteBuffer.allocate(in.remaining()).put(in).flip();
    }

    /** Processes what the clients that no longer wait still hold, then reads them again. */
    private void resumeWaiting() {
        for (int n = toResume.size(); n > 0; n--) {
            Session s = toResume.pollFirst();
            if (!s.isOpen() || s.waitingFor > 0) {
                continue; // gone, or waiting again: a later release puts it back
            }
            ByteBuffer held = s.held;
            if (held != null) {
                s.held = null;
                frames(s, held);
            }
            if (s.isOpen()) {
                LOG.debug("resuming reads from {}", s);
                updateInterest(s);
            }
        }
    }

    private void malformed(Session s, String problem) {
        stats.malformedFrames++;
        LOG.warn("dropping session {}: {}", s, problem);
        close(s);
    }

    @Override
    public void deliver(Session target, byte[] frame) {
        if (!target.isOpen()) {
            return;
        }
        // a sender is paused after the first frame it sends to a congested session, so this hard bound is only
        // reached when hundreds of clients send to one session at once
        if (overLimit(target, frame)) {
            flushOrClose(target);
            if (!target.isOpen()) {
                return;
            }
            if (overLimit(target, frame)) {
                stats.slowClientDrops++;
                LOG.warn("cutting off slow session {}: {} messages ({} bytes) queued", target, target.queued(),
                        target.queuedBytes());
                close(target);
                return;
            }
        }
        target.enqueue(frame);
        stats.messagesOut++;
        if (backpressure.atHighWater(target)) {
            flushOrClose(target); // a reading client takes it all: no congestion then
            if (target.isOpen() && backpressure.atHighWater(target) && backpressure.congested(target, routing)) {
                LOG.debug("pausing reads from {}: {} has {} messages queued", routing, target, target.queued());
                updateInterest(routing);
            }
        }
        if (target.isOpen() && !target.flushScheduled) {
            target.flushScheduled = true;
            toFlush.add(target);
        }
    }

    /** Whether queuing {@code frame} would pass the session's queue bound, in frames or in bytes. */
    private boolean overLimit(Session target, byte[] frame) {
        return target.queued() >= limits.maxQueuedMessages()
                || target.queuedBytes() + frame.length > limits.maxQueuedBytes();
    }

    @Override
    public void kill(Session s) {
        close(s);
    }

    private void flushAll() {
        // indexed: flushing can cut sessions off, whose disconnect notices schedule more flushes
        for (int i = 0; i < toFlush.size(); i++) {
            Session s = toFlush.get(i);
            s.flushScheduled = false;
            flushOrClose(s);
            drainDisconnects();
        }
        toFlush.clear();
    }

    private void flushOrClose(Session s) {
        if (!s.isOpen() && s.state != Session.State.HANDSHAKE) {
            return;
        }
        try {
            flush(s);
        } catch (IOException e) {
            LOG.debug("{}: write failed: {}", s, e.toString());
            close(s);
        }
    }

    /** Writes as much of the queue as the socket takes; asks for OP_WRITE if some is left. */
    private void flush(Session s) throws IOException {
        while (s.hasQueued()) {
            writeBuffer.clear();
            s.fill(writeBuffer);
            writeBuffer.flip();
            int attempted = writeBuffer.remaining();
            int written = s.channel.write(writeBuffer);
            s.consumed(written);
            if (written < attempted) {
                s.key.interestOps(interest(s, true));
                afterDrain(s);
                return;
            }
        }
        s.key.interestOps(interest(s, false));
        afterDrain(s);
    }

    /** Interest ops: read unless this client waits for a congested session (handshakes are always read). */
    private static int interest(Session s, boolean write) {
        return (s.readPaused() ? 0 : SelectionKey.OP_READ) | (write ? SelectionKey.OP_WRITE : 0);
    }

    private static void updateInterest(Session s) {
        if (s.key.isValid()) {
            s.key.interestOps(interest(s, s.hasQueued()));
        }
    }

    /** After {@code s} was written to or closed: the clients that waited only for it are resumed this round. */
    private void afterDrain(Session s) {
        toResume.addAll(backpressure.drained(s));
    }

    /** Cuts off the sessions that stayed congested past the timeout: they hold their senders back. */
    private void cutOffCongested() {
        for (Session s : backpressure.overdue()) {
            if (s.isOpen()) {
                stats.slowClientDrops++;
                LOG.warn("cutting off slow session {}: {} messages queued for longer than {}", s, s.queued(),
                        congestionTimeout);
                close(s);
            }
            afterDrain(s);
        }
        drainDisconnects();
    }

    /** Closes a connection now; an open session's disconnect is applied at the next {@link #drainDisconnects}. */
    private void close(Session s) {
        if (s.state == Session.State.CLOSED) {
            return;
        }
        boolean wasOpen = s.isOpen();
        s.state = Session.State.CLOSED;
        s.discardQueue();
        s.held = null;
        afterDrain(s);
        s.key.cancel();
        closeQuietly(s.channel);
        if (wasOpen) {
            pendingDisconnects.addLast(s);
        } else {
            directory.remove(s, false);
        }
        LOG.debug("{} closed", s);
    }

    /** Applies the disconnects of sessions closed so far, in the order they were closed. */
    private void drainDisconnects() {
        Session s;
        while ((s = pendingDisconnects.pollFirst()) != null) {
            sequencer.disconnect(s);
            directory.remove(s, true);
        }
    }

    /** Ends handshakes past their deadline; returns the select timeout until the next deadline (0 = none). */
    private long expireHandshakes() {
        long now = System.nanoTime();
        Session s;
        while ((s = handshaking.peekFirst()) != null) {
            if (s.state != Session.State.HANDSHAKE || s.verdictPending) {
                // a pending verdict ends the handshake itself, when it is due
                handshaking.pollFirst();
                continue;
            }
            long left = s.handshakeDeadlineNanos - now;
            if (left > 0) {
                return Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
            }
            handshaking.pollFirst();
            int code = s.handshake.timeoutRejectCode();
            LOG.debug("{}: handshake not complete after {}", s, limits.handshakeTimeout());
            if (code != 0) {
                admission.reject(s, code);
            } else {
                stats.handshakeRejects++;
                close(s);
            }
        }
        return 0;
    }

    private void closeEverything() {
        for (SelectionKey key : selector.keys()) {
            closeQuietly(key.channel());
        }
        servers.forEach(SelectorLoop::closeQuietly);
        closeQuietly(selector);
        stats.sessions = 0;
        stats.groups = 0;
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("close failed", e);
        }
    }
}
