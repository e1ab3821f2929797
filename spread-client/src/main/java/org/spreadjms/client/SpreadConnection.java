package org.spreadjms.client;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.membership.GroupView;
import org.spreadjms.client.transport.Transport;
import org.spreadjms.client.transport.TransportFactory;
import org.spreadjms.client.wire.GroupNames;

/**
 * One session (mailbox) with a Spread daemon.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>Any number of threads may call {@link #multicast}, {@link #join} and {@link #leave} at once: frames are
 *       written whole under one lock.</li>
 *   <li>One reader thread per connection reads the socket and queues what arrives; it never runs user code.</li>
 *   <li>There is one receiving path: either the application calls {@link #receive} (from one or several threads,
 *       each message goes to one of them), or it registers {@link SpreadListener}s, whose callbacks run on one
 *       dispatcher thread. After the first listener is added, {@link #receive} throws IllegalStateException.</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * Names are checked before anything is sent (see {@link NameRules}). Message size and destination count follow
 * {@link DaemonLimits}: with a real Spread 4 daemon at most 43 groups and 143,599 bytes of frame, because larger
 * frames crash it and more groups are misrouted by it; with this project's embedded daemon 100 groups and the
 * protocol's 143,952 bytes of data plus group slots. Larger payloads are refused with MESSAGE_TOO_LONG.
 *
 * <h2>Failure</h2>
 * When the daemon goes away the loss is reported once: blocked and later calls throw
 * {@link SpreadException.ConnectionClosedException}, listeners get {@link SpreadListener#onConnectionLost} after the
 * messages received before the loss. Nothing reconnects here.
 */
public final class SpreadConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpreadConnection.class);
    private static final int SLOT_CACHE_LIMIT = 4096;

    private enum State { OPEN, CLOSED_BY_USER, LOST }

    private final SpreadOptions options;
    private final Transport transport;
    private final String privateGroup;
    private final DaemonLimits limits;
    private final String daemonVersion;
    private final FrameWriter writer;
    private final InboundQueue queue;
    private final MembershipTracker tracker;
    private final AccessChecks accessChecks = new AccessChecks();
    private final boolean accessControlled;
    private final ListenerDispatcher dispatcher;
    private final Thread readerThread;
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);
    private final Map<String, byte[]> slotCache = new ConcurrentHashMap<>();
    private volatile SpreadException lostCause;
    private volatile Thread dispatcherThread;

    private SpreadConnection(SpreadOptions options, Transport transport, ClientHandshake.Result hs) {
        this.options = options;
        this.transport = transport;
        this.privateGroup = hs.privateGroup();
        this.daemonVersion = hs.major() + "." + hs.minor() + "." + hs.patch();
        this.limits = options.limits() != null ? options.limits()
                : hs.extendedLimits() ? DaemonLimits.EXTENDED : DaemonLimits.SPREAD_4;
        this.writer = new FrameWriter(transport, privateGroup);
        this.queue = new InboundQueue(options.receiveBufferBytes());
        this.tracker = new MembershipTracker(privateGroup);
        this.accessControlled = hs.authMethods().contains(org.spreadjms.client.wire.AuthMessages.ACL_TOKEN);
        this.dispatcher = new ListenerDispatcher(this, queue);
        this.readerThread = new Thread(new MessageReader(this, transport, options.maxReceiveFrameBytes(), tracker,
                queue, writer, options.writeTimeout()), "spread-reader-" + privateGroup);
        this.readerThread.setDaemon(true);
    }

    /** Connects to the daemon at {@code spreadName} ({@code "4803"}, {@code "4803@host"}) with a private name. */
    public static SpreadConnection connect(String spreadName, String privateName, boolean membershipMessages)
            throws SpreadException {
        return connect(SpreadOptions.builder().daemon(spreadName).privateName(privateName)
                .membershipMessages(membershipMessages).build());
    }

    public static SpreadConnection connect(SpreadOptions options) throws SpreadException {
        return connect(options, options.address().local() ? TransportFactory.LOCAL : TransportFactory.TCP);
    }

    /** Connects through a given transport factory (a seam for tests). */
    public static SpreadConnection connect(SpreadOptions options, TransportFactory transports)
            throws SpreadException {
        NameRules.checkPrivateName(options.privateName());
        long deadline = System.nanoTime() + options.connectTimeout().toNanos();
        SpreadAddress a = options.address();
        Transport t;
        try {
            t = transports.connect(a.host(), a.port(), options.connectTimeout());
        } catch (IOException e) {
            throw SpreadException.of(SpreadError.COULD_NOT_CONNECT, "could not connect to daemon " + a + ": " + e, e);
        }
        try {
            ClientHandshake.Result hs = new ClientHandshake(t, deadline).run(options);
            SpreadConnection c = new SpreadConnection(options, t, hs);
            c.readerThread.start();
            LOG.debug("connected to {} as {} (daemon {}, limits {})", a, c.privateGroup, c.daemonVersion, c.limits);
            return c;
        } catch (SpreadException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** This session's private group name {@code #name#daemon}: its address for point-to-point messages. */
    public String privateGroup() {
        return privateGroup;
    }

    /** The private name part of {@link #privateGroup()}. */
    public String privateName() {
        return privateGroup.substring(1, privateGroup.indexOf('#', 1));
    }

    /** The daemon's protocol version, e.g. {@code "4.0.0"}. */
    public String daemonVersion() {
        return daemonVersion;
    }

    /** The send limits in force for this daemon. */
    public DaemonLimits limits() {
        return limits;
    }

    public SpreadOptions options() {
        return options;
    }

    public boolean isOpen() {
        return state.get() == State.OPEN;
    }

    /**
     * Whether the daemon announced that access control may refuse joins and messages (this project's daemon with an
     * ACL). A real Spread daemon with its default policy never refuses, and does not announce it.
     */
    public boolean accessControlled() {
        return accessControlled;
    }

    /**
     * Waits until the daemon has handled everything this connection sent before the call, and throws if it refused a
     * message to any of {@code groups} meanwhile (see {@link AccessChecks}: one small message to this connection's
     * own private group, and its round trip).
     *
     * @throws SpreadException.AccessRefusedException naming the refused groups; the connection stays usable
     */
    public void checkAccepted(Collection<String> groups, Duration timeout) throws SpreadException, TimeoutException {
        checkAccepted(refusalMark(), groups, timeout);
    }

    /**
     * A mark to take before sending messages that {@link #checkAccepted(long, Collection, Duration)} is to check:
     * refusals that arrive after the mark count, even those that arrive before the check starts.
     */
    public long refusalMark() {
        return accessChecks.mark();
    }

    /** Like {@link #checkAccepted(Collection, Duration)}, counting refusals since {@code mark}. */
    public void checkAccepted(long mark, Collection<String> groups, Duration timeout)
            throws SpreadException, TimeoutException {
        AccessChecks.Check c = accessChecks.expect(groups, mark);
        try {
            send(SpreadConstants.RELIABLE_MESS, new byte[][] {slot(privateGroup)}, AccessChecks.ECHO_MESS_TYPE,
                    AccessChecks.echoData(c.token), 0, AccessChecks.ECHO_BYTES);
            List<String> refused = c.done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (!refused.isEmpty()) {
                throw new SpreadException.AccessRefusedException("the daemon's access control refused sending to "
                        + refused, refused, null);
            }
        } catch (TimeoutException e) {
            throw new TimeoutException("the daemon did not answer an access check within " + timeout.toMillis()
                    + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SpreadException se ? se.forCaller() : closedException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpreadException.of(SpreadError.CONNECTION_CLOSED, "interrupted while waiting for an access check",
                    e);
        } finally {
            accessChecks.forget(c);
        }
    }

    AccessChecks accessChecks() {
        return accessChecks;
    }

    /** Called by the reader for a REJECT_MESS. */
    void refused(DataMessage d) {
        accessChecks.onReject(d, privateGroup, tracker);
    }

    /** Joins a group without waiting for the daemon's confirmation (as SP_join). */
    public void join(String group) throws SpreadException {
        NameRules.checkGroupName(group);
        control(SpreadConstants.JOIN_MESS, group);
    }

    /**
     * Joins a group and waits until the daemon confirms it with the membership message that lists this session.
     * Once this returns, every message sent to the group after the return reaches this session. Needs membership
     * messages (the default).
     *
     * @return the group's view after the join
     */
    public GroupView join(String group, Duration timeout) throws SpreadException, TimeoutException {
        NameRules.checkGroupName(group);
        requireMembership("join(group, timeout)");
        if (tracker.isSettledMember(group)) {
            return tracker.view(group);
        }
        CompletableFuture<GroupView> f = tracker.expectJoin(group);
        control(SpreadConstants.JOIN_MESS, group);
        return await(f, group, timeout, "join");
    }

    /** Leaves a group without waiting (as SP_leave). */
    public void leave(String group) throws SpreadException {
        NameRules.checkGroupName(group);
        if (options.membershipMessages() && tracker.isSettledMember(group)) {
            tracker.leaving(group);
        }
        control(SpreadConstants.LEAVE_MESS, group);
    }

    /** Leaves a group and waits for the daemon's self-leave notice; returns at once if not a member. */
    public void leave(String group, Duration timeout) throws SpreadException, TimeoutException {
        NameRules.checkGroupName(group);
        requireMembership("leave(group, timeout)");
        GroupView current = tracker.view(group);
        if (current == null || !current.contains(privateGroup)) {
            return;
        }
        CompletableFuture<Void> f = tracker.expectLeave(group);
        tracker.leaving(group);
        control(SpreadConstants.LEAVE_MESS, group);
        await(f, group, timeout, "leave");
    }

    /** Multicasts to one group or private group. */
    public void multicast(ServiceType service, String group, short messType, byte[] data) throws SpreadException {
        send(service.bit(), new byte[][] {slot(group)}, messType, data, 0, data.length);
    }

    /** Multicasts {@code length} bytes of {@code data} from {@code offset} to one group, without copying them first. */
    public void multicast(ServiceType service, String group, short messType, byte[] data, int offset, int length)
            throws SpreadException {
        Objects.checkFromIndexSize(offset, length, data.length);
        send(service.bit(), new byte[][] {slot(group)}, messType, data, offset, length);
    }

    /** Multicasts one message to several groups (each member receives it once). */
    public void multicast(ServiceType service, Collection<String> groups, short messType, byte[] data)
            throws SpreadException {
        multicast(Multicast.to(groups).service(service).messType(messType).data(data));
    }

    /** Multicasts a message described by a {@link Multicast}. */
    public void multicast(Multicast m) throws SpreadException {
        List<String> groups = m.groups();
        if (groups.isEmpty()) {
            throw SpreadException.of(SpreadError.ILLEGAL_GROUP, "a multicast needs at least one group", null);
        }
        if (groups.size() > limits.maxGroups()) {
            throw SpreadException.of(SpreadError.ILLEGAL_GROUP, "a multicast to " + groups.size()
                    + " groups exceeds this daemon's limit of " + limits.maxGroups() + reasonForLimits(), null);
        }
        byte[][] slots = new byte[groups.size()][];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = slot(groups.get(i));
        }
        int type = m.service().bit() | (m.selfDiscard() ? SpreadConstants.SELF_DISCARD : 0);
        send(type, slots, m.messType(), m.data(), m.offset(), m.length());
    }

    /**
     * Waits for the next message.
     *
     * @return the message, or null if none arrived within {@code timeout}
     * @throws SpreadException.ConnectionClosedException once the connection is closed or lost and every message
     *         received before has been taken
     */
    public ReceivedMessage receive(Duration timeout) throws SpreadException, InterruptedException {
        requireNoListeners();
        return queue.take(Math.max(0, timeout.toNanos()));
    }

    /** Waits for the next message without a time bound (until one arrives or the connection ends). */
    public ReceivedMessage receive() throws SpreadException, InterruptedException {
        requireNoListeners();
        return queue.take(-1);
    }

    /** Number of messages received and not yet taken (as SP_poll, which reports bytes). */
    public int poll() throws SpreadException {
        int n = queue.size();
        if (n == 0 && state.get() != State.OPEN) {
            throw closedException();
        }
        return n;
    }

    /** The current view of a group this session is in (kept from membership messages), or null. */
    public GroupView groupView(String group) {
        return tracker.view(group);
    }

    /** Current views of every group this session is in. */
    public Map<String, GroupView> groupViews() {
        return tracker.views();
    }

    /** Adds a listener for every message; switches the connection to callback delivery. */
    public void addListener(SpreadListener listener) {
        dispatcher.add(listener);
        startDispatcher();
    }

    /** Adds a listener for the messages and membership changes of one group. */
    public void addListener(String group, SpreadListener listener) {
        dispatcher.add(group, listener);
        startDispatcher();
    }

    public boolean removeListener(SpreadListener listener) {
        return dispatcher.remove(listener);
    }

    /** Leaves every group and closes the session (KILL, then close), as SP_disconnect. Idempotent. */
    public void disconnect() {
        if (!state.compareAndSet(State.OPEN, State.CLOSED_BY_USER)) {
            return;
        }
        try {
            writer.write(SpreadConstants.KILL_MESS, new byte[][] {GroupNames.toSlot(privateGroup)}, (short) 0,
                    new byte[0], 0, 0);
        } catch (IOException e) {
            LOG.debug("KILL to daemon failed for {}: {}", privateGroup, e.toString());
        }
        // a graceful close: FIN after the KILL, then let the reader drain what the daemon still sends until it
        // closes its side. Closing a socket with unread input makes the kernel send a reset, and a reset makes the
        // daemon's kernel drop what it had received and not yet read: the last messages sent before disconnect().
        transport.shutdownOutput();
        if (Thread.currentThread() != readerThread) {
            try {
                readerThread.join(GRACEFUL_CLOSE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        SpreadException closed = SpreadException.of(SpreadError.CONNECTION_CLOSED, "connection " + privateGroup
                + " was closed by disconnect()", null);
        lostCause = closed;
        shutdown(closed);
    }

    /** How long disconnect() lets the daemon finish reading and close its side before closing the socket. */
    private static final java.time.Duration GRACEFUL_CLOSE = java.time.Duration.ofSeconds(2);

    @Override
    public void close() {
        disconnect();
    }

    boolean closedByUser() {
        return state.get() == State.CLOSED_BY_USER;
    }

    /**
     * A write has been stuck past the write timeout: the daemon is taken as lost; during disconnect() (its KILL or a
     * frame before it stuck) the transport is closed, which ends the stuck write and lets disconnect() finish.
     */
    void writeStuck(SpreadException cause) {
        if (state.get() == State.CLOSED_BY_USER) {
            LOG.debug("{}: a write stuck during disconnect; closing the socket", privateGroup);
            transport.close();
        } else {
            lost(cause);
        }
    }

    /** Called once by the reader (or a failed write) when the daemon is gone. */
    void lost(SpreadException cause) {
        if (!state.compareAndSet(State.OPEN, State.LOST)) {
            return;
        }
        lostCause = cause;
        LOG.warn("connection {} lost: {}", privateGroup, cause.getMessage());
        shutdown(cause);
    }

    private void shutdown(SpreadException cause) {
        transport.close();
        tracker.fail(cause);
        accessChecks.fail(cause);
        queue.close(cause);
        if (Thread.currentThread() != readerThread) {
            join(readerThread);
        }
        Thread d = dispatcherThread;
        if (d != null && Thread.currentThread() != d) {
            join(d);
        }
    }

    private static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void control(int type, String group) throws SpreadException {
        send(type, new byte[][] {GroupNames.toSlot(group)}, (short) 0, new byte[0], 0, 0);
    }

    private void send(int type, byte[][] slots, short messType, byte[] data, int offset, int length)
            throws SpreadException {
        if (state.get() != State.OPEN) {
            throw closedException();
        }
        int frame = 48 + 32 * slots.length + length;
        if (frame > limits.maxFrameBytes()) {
            throw SpreadException.of(SpreadError.MESSAGE_TOO_LONG, "message of " + length + " bytes to "
                    + slots.length + " group(s) makes a frame of " + frame + " bytes; this daemon takes at most "
                    + limits.maxFrameBytes() + " (at most " + limits.maxDataBytes(slots.length)
                    + " bytes of data)" + reasonForLimits(), null);
        }
        try {
            writer.write(type, slots, messType, data, offset, length);
        } catch (java.io.InterruptedIOException e) {
            // this caller was interrupted; the connection is fine and the frame goes out with the next write
            throw new SpreadException(SpreadError.NET_ERROR_ON_SESSION, e.getMessage(), e);
        } catch (IOException e) {
            SpreadException cause = SpreadException.of(SpreadError.CONNECTION_CLOSED, "write to the daemon failed: "
                    + e, e);
            lost(cause);
            throw closedException();
        }
    }

    private byte[] slot(String destination) throws SpreadException {
        byte[] s = slotCache.get(destination);
        if (s == null) {
            NameRules.checkDestination(destination);
            s = GroupNames.toSlot(destination);
            if (slotCache.size() >= SLOT_CACHE_LIMIT) {
                slotCache.clear();
            }
            slotCache.put(destination, s);
        }
        return s;
    }

    private String reasonForLimits() {
        return limits == DaemonLimits.SPREAD_4
                ? " (a Spread 4 daemon misroutes 44+ groups and aborts on frames of 143,600+ bytes)" : "";
    }

    private SpreadException closedException() {
        SpreadException cause = lostCause;
        String why = cause != null ? cause.getMessage() : "connection is closed";
        return new SpreadException.ConnectionClosedException(cause != null ? cause.error()
                : SpreadError.CONNECTION_CLOSED, why, cause);
    }

    private <T> T await(CompletableFuture<T> f, String group, Duration timeout, String what)
            throws SpreadException, TimeoutException {
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            tracker.forget(group, f);
            throw new TimeoutException("the daemon did not confirm the " + what + " of group '" + group + "' within "
                    + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SpreadException se ? se.forCaller() : closedException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpreadException.of(SpreadError.CONNECTION_CLOSED, "interrupted while waiting for the " + what, e);
        }
    }

    private void requireMembership(String call) {
        if (!options.membershipMessages()) {
            throw new IllegalStateException(call + " needs membership messages; connect with membershipMessages(true)");
        }
    }

    private void requireNoListeners() {
        if (dispatcherThread != null) {
            throw new IllegalStateException("this connection delivers to listeners; receive() is not available");
        }
    }

    private synchronized void startDispatcher() {
        if (dispatcherThread == null) {
            Thread t = new Thread(dispatcher, "spread-dispatch-" + privateGroup);
            t.setDaemon(true);
            dispatcherThread = t;
            t.start();
        }
    }

    @Override
    public String toString() {
        return "SpreadConnection[" + privateGroup + " @ " + options.address() + ", " + state.get() + "]";
    }
}
