package org.spreadjms.store;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadException;
import org.spreadjms.client.membership.GroupView;
import org.spreadjms.jms.store.MessageKey;
import org.spreadjms.jms.store.StoreControlCodec;
import org.spreadjms.jms.store.StoreFrame;
import org.spreadjms.jms.store.StoredMessage;
import org.spreadjms.store.log.LogPosition;
import org.spreadjms.store.log.MessageLog;

/**
 * A store member's part in the replica group (docs/store-protocol.md): applies the ordered stream to the log, asks
 * for state when it (re)starts, offers and sends state to members that ask, and decides who serves first when every
 * member is starting. Every method runs on the connection's dispatcher thread, in the order Spread delivered, so each
 * member takes the same decisions at the same points of the stream. Applying the live stream to the log, and holding
 * it back while the member catches up, is {@link LiveStream}'s.
 */
final class ReplicaProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaProtocol.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A state request seen since the last view change of the control group. */
    private static final class Pending {
        final StoreFrame.StateRequest request;
        boolean offered;

        Pending(StoreFrame.StateRequest request) {
            this.request = request;
        }
    }

    private record Cut(StoreFrame.StateRequest request, String joiner, CompletableFuture<LogPosition> position) {
    }

    private final StoreMemberOptions options;
    /** The destinations whose state a (re)starting member asks for: the static ones and the subscriptions. */
    private final java.util.function.Supplier<List<String>> destinations;
    private final SpreadConnection connection;
    private final MessageLog log;
    private final Executor donors;
    private final Consumer<String> fail;
    private final String me;
    /** Completes once the member serves and its log holds everything it had received by then. */
    private volatile CompletableFuture<Void> serving = new CompletableFuture<>();
    /** Whether the member serves, as decided at this point of the stream (dispatcher thread only writes it). */
    private volatile boolean servingNow;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<Long, Cut> cuts = new HashMap<>();
    /** The live stream, applied or held back. */
    private final LiveStream stream;
    private volatile GroupView controlView;
    private long requestId;
    /** Where in the held-back {@link #stream} this member's own current request came back; -1 before it did. */
    private int requestMark = -1;
    /**
     * Where in the held-back {@link #stream} the last view of the control group came: what came before may be another
     * component's.
     */
    private int viewMark;
    private String donor;
    private int chunksReceived;
    private long requestCounter = RANDOM.nextLong() & 0x7FFF_FFFF_0000_0000L;
    /** Told what a state transfer brings of the registry (set once, before the member joins anything). */
    private TransferredRegistry registry;
    /**
     * Set while this member joins groups a state transfer named, before it asks again (the request then goes out
     * from the joining thread); guarded by {@code this}, with {@link #onControlView}.
     */
    private volatile boolean joining;

    /** Told (on the log's callback thread) the destination of every message appended from the live stream. */
    void onAppended(Consumer<String> hook) {
        stream.onAppended(hook);
    }

    /** Told the registry's part of every state transfer to this member (dispatcher thread). */
    void registry(TransferredRegistry registry) {
        this.registry = registry;
    }

    ReplicaProtocol(StoreMemberOptions options, SpreadConnection connection, MessageLog log, AckSender acks,
                    Executor donors, Consumer<String> fail, java.util.function.Supplier<List<String>> destinations) {
        this.destinations = destinations;
        this.options = options;
        this.connection = connection;
        this.log = log;
        this.donors = donors;
        this.fail = fail;
        this.me = connection.privateGroup();
        this.stream = new LiveStream(log, acks, fail, options.catchUpBufferBytes());
    }

    CompletableFuture<Void> serving() {
        return serving;
    }

    boolean isServing() {
        return servingNow;
    }

    /** Members of the control group in the current view (at least this one). */
    int storeMembers() {
        GroupView v = controlView;
        return v == null ? 1 : Math.max(1, v.members().size());
    }

    boolean inControlView(String member) {
        GroupView v = controlView;
        return v != null && v.contains(member);
    }

    /** A regular membership of the control group. */
    synchronized void onControlView(GroupView view) {
        controlView = view;
        pending.clear();
        cuts.values().removeIf(c -> !view.contains(c.joiner()));
        if (isServing() && view.members().size() < options.quorum()) {
            // the minority side of a partition: acknowledge nothing more, take the majority's state after the merge
            LOG.warn("{}: {} store member(s) in view, fewer than the quorum of {} (replicas {}): not serving", me,
                    view.members().size(), options.quorum(), options.replicas());
            servingNow = false;
            serving = new CompletableFuture<>();
            stream.drop();
            requestMark = -1;
        }
        viewMark = stream.heldBack();
        if (isServing() || joining) {
            return; // joining: the request goes out once the joins completed
        }
        if (donor != null && view.contains(donor)) {
            return;
        }
        if (donor != null) {
            LOG.warn("{}: donor {} left during the state transfer; asking again", me, donor);
        }
        request();
    }

    private void request() {
        newRequest();
        sendRequest();
    }

    private void newRequest() {
        requestId = ++requestCounter;
        requestMark = -1;
        donor = null;
        chunksReceived = 0;
    }

    private void sendRequest() {
        StoreFrame.StateRequest r = new StoreFrame.StateRequest(requestId, log.appliedIndex(),
                destinations.get());
        send(options.controlGroup(), r, ServiceType.SAFE);
    }

    /** The joins a state transfer asked for completed (joining thread): asks again, unless a newer request went. */
    private synchronized void requestAfterJoins(long id) {
        if (joining && id == requestId) {
            joining = false;
            sendRequest();
        }
    }

    /** Whether this member is the first of the control view (the one that re-publishes stored queue messages). */
    boolean firstInControlView() {
        GroupView v = controlView;
        return v != null && !v.members().isEmpty() && v.members().get(0).equals(me);
    }

    /**
     * A message stored in {@code destination} (acknowledged to {@code replyTo}, its sender's private group), or
     * (data null) a delete, from the live stream. Until it serves, the
     * member holds the stream back: after a state transfer it applies what came after its own request (what came
     * before is in the state); when it serves its own log (bootstrap) it applies all of it.
     */
    void onLive(String destination, MessageKey key, String replyTo, short messType, byte[] data) {
        live(new LiveOperation(data == null ? LiveOperation.Op.DELETE : LiveOperation.Op.APPEND, destination, key,
                replyTo, null, messType, data, storeMembers()));
    }

    /**
     * Appends a message to {@code destination}; once durable, acknowledges it to {@code replyTo} (null: nobody) as
     * a message of {@code ackAs} (a topic message is acknowledged as the topic's, once, after its last append).
     */
    void onAppend(String destination, MessageKey key, String replyTo, String ackAs, short messType, byte[] data) {
        live(new LiveOperation(LiveOperation.Op.APPEND, destination, key, replyTo, ackAs, messType, data,
                storeMembers()));
    }

    /** Acknowledges a message that nothing keeps here (a topic message no durable subscription wants). */
    void onAckOnly(String ackAs, MessageKey key, String replyTo) {
        live(new LiveOperation(LiveOperation.Op.ACK, ackAs, key, replyTo, ackAs, (short) 0, null, storeMembers()));
    }

    /** Drops every message of {@code destination} (a deleted or replaced durable subscription). */
    void onPurge(String destination) {
        live(new LiveOperation(LiveOperation.Op.PURGE, destination, null, null, null, (short) 0, null,
                storeMembers()));
    }

    private void live(LiveOperation live) {
        if (isServing()) {
            stream.apply(live);
            return;
        }
        stream.holdBack(live);
    }

    private void watch(CompletableFuture<?> f, String what) {
        f.whenComplete((r, e) -> {
            if (e != null) {
                fail.accept("could not " + what + ": " + e.getMessage());
            }
        });
    }

    /**
     * A message completed at this point of the stream whose first fragments came before this member joined its
     * groups ({@link IncomingFragments}): the members that had every fragment applied it here; this one cannot.
     * Before its own state request came back that is harmless (the donor's cut is later, so the state holds it).
     * After, neither the state nor the live stream gives it: the member asks again, for a cut after this point; one
     * that serves already stops serving and catches up again rather than keep a log without it. (It never
     * acknowledges that message: it cannot tell its id.)
     */
    synchronized void onMissed(String what) {
        if (isServing()) {
            LOG.warn("{}: {}, after this member began to serve; catching up again", me, what);
            servingNow = false;
            serving = new CompletableFuture<>();
            stream.drop();
            viewMark = 0;
            request();
        } else if (requestMark >= 0) {
            LOG.info("{}: {}, after this member's state request; asking again", me, what);
            request();
        }
    }

    /** A store control frame from {@code m.sender()}. */
    void onFrame(DataMessage m, StoreFrame f) {
        if (f instanceof StoreFrame.StateRequest r) {
            onRequest(m.sender(), r);
        } else if (f instanceof StoreFrame.StateOffer o) {
            onOffer(m.sender(), o);
        } else if (f instanceof StoreFrame.StateChunk c) {
            onChunk(m.sender(), c);
        } else if (f instanceof StoreFrame.StateDone d) {
            onDone(m.sender(), d);
        }
    }

    private void onRequest(String joiner, StoreFrame.StateRequest r) {
        pending.put(joiner, new Pending(r));
        if (joiner.equals(me)) {
            if (r.requestId() == requestId) {
                requestMark = stream.heldBack();
                registry.onOwnRequest();
            }
        } else if (isServing()) {
            // the cut: everything queued to the log before this point, nothing after
            cuts.put(r.requestId(), new Cut(r, joiner, log.barrier()));
            send(options.controlGroup(), new StoreFrame.StateOffer(r.requestId(), joiner), ServiceType.AGREED);
        }
        bootstrapIfAllStarting();
    }

    /**
     * When every member of the control view asked for state since the last view change and none was offered any,
     * nobody serves: the member with the highest applied index (the first in the view on a tie) serves its own log
     * and the others ask again, of it. Every member sees the same requests in the same order, so all agree.
     */
    private void bootstrapIfAllStarting() {
        GroupView v = controlView;
        if (isServing() || joining || v == null
                || v.members().size() < Math.max(options.bootstrapMembers(), options.quorum())) {
            return;
        }
        String chosen = null;
        long best = -1;
        for (String member : v.members()) {
            Pending p = pending.get(member);
            if (p == null || p.offered) {
                return;
            }
            if (p.request.appliedIndex() > best) {
                best = p.request.appliedIndex();
                chosen = member;
            }
        }
        pending.remove(chosen);
        if (me.equals(chosen)) {
            LOG.info("{}: no member was serving; serving from its own log (applied index {}, {} member(s))", me,
                    best, v.members().size());
            startServing(0);
        } else {
            LOG.info("{}: no member was serving; {} (applied index {}) serves first, asking it", me, chosen, best);
            request();
        }
    }

    private void startServing(int from) {
        stream.applyHeldBack(from);
        viewMark = 0;
        donor = null;
        servingNow = true;
        CompletableFuture<Void> done = serving;
        log.barrier().whenComplete((position, e) -> {
            if (e == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(e);
            }
        });
    }

    private void onOffer(String from, StoreFrame.StateOffer o) {
        Pending p = pending.get(o.joiner());
        if (p == null || p.request.requestId() != o.requestId() || p.offered) {
            cuts.remove(o.requestId());
            return;
        }
        p.offered = true;
        Cut cut = cuts.remove(o.requestId());
        if (from.equals(me) && cut != null) {
            donors.execute(new StateDonor(connection, log, cut.joiner(), cut.request(), cut.position(),
                    this::inControlView, options.timeout()));
        }
        if (o.joiner().equals(me) && o.requestId() == requestId && !isServing()) {
            donor = from;
            // the state replaces what this member had for its destinations
            Map<String, Long> zero = new HashMap<>();
            destinations.get().forEach(d -> zero.put(d, 0L));
            log.destinations().forEach(d -> zero.put(d, 0L));
            watch(log.reset(zero, 0, true), "drop the old state");
            registry.onTransferStarting();
            LOG.info("{}: taking state from {} (request {})", me, from, requestId);
        }
    }

    private void onChunk(String from, StoreFrame.StateChunk c) {
        if (!from.equals(donor) || c.requestId() != requestId) {
            return;
        }
        if (c.index() != chunksReceived) {
            fail.accept("state chunk " + c.index() + " from " + from + " arrived when " + chunksReceived
                    + " was expected");
            return;
        }
        chunksReceived++;
        for (StoredMessage m : c.messages()) {
            watch(log.put(m.destination(), m.sequence(), m.key(), m.messType(), m.payload()),
                    "store transferred message " + m.sequence() + " of " + m.destination());
            registry.onTransferred(m);
        }
    }

    private void onDone(String from, StoreFrame.StateDone d) {
        if (!from.equals(donor) || d.requestId() != requestId || requestMark < 0) {
            return;
        }
        if (d.chunks() != chunksReceived) {
            fail.accept("state transfer from " + from + " ended after " + d.chunks() + " chunks, " + chunksReceived
                    + " arrived");
            return;
        }
        CompletableFuture<Void> joins = registry.onTransferComplete();
        if (joins != null) {
            // the state names groups (durable subscriptions, queues) this member is not in: what was multicast
            // there after the cut did not reach it. It joins them, then asks again: that cut comes after the joins,
            // so the new state and the stream after it hold everything. The held-back stream stays.
            LOG.info("{}: the state from {} names groups this member is not in; joining them, then asking again",
                    me, from);
            // a consistent log meanwhile (the next offer drops it), should this member have to serve it
            watch(log.reset(d.lastSequences(), d.appliedIndex(), false), "set the transferred position");
            synchronized (this) {
                newRequest();
                joining = true;
            }
            long again = requestId;
            joins.whenComplete((r, e) -> {
                if (e != null) {
                    fail.accept("could not join the groups the transferred state names: " + e.getMessage());
                } else {
                    requestAfterJoins(again);
                }
            });
            return;
        }
        // what arrived in this view before this member's request is in the state too: acknowledge it once written
        // (not what came before the view: that may have been seen only in this member's side of a partition)
        List<LiveOperation> inState = stream.heldBack(Math.min(viewMark, requestMark), requestMark);
        CompletableFuture<Void> written = log.reset(d.lastSequences(), d.appliedIndex(), false);
        watch(written, "set the transferred position");
        stream.acknowledgeWhenWritten(written, inState);
        LOG.info("{}: state from {} complete ({} chunk(s), applied index {}), {} live operation(s) held back", me,
                from, chunksReceived, d.appliedIndex(), stream.heldBack() - requestMark);
        startServing(requestMark);
    }

    private void send(String group, StoreFrame frame, ServiceType service) {
        try {
            connection.multicast(service, group, StoreControlCodec.MESS_TYPE, StoreControlCodec.encode(frame));
        } catch (SpreadException e) {
            fail.accept("could not send " + frame.kind() + " to " + group + ": " + e.getMessage());
        }
    }
}
