package org.spreadjms.jms.provider;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;

import org.spreadjms.client.DataMessage;
import org.spreadjms.client.MembershipMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.membership.GroupId;
import org.spreadjms.client.membership.MembershipReason;

/**
 * <b>Test fixture</b>: an in-process model of one Spread segment (a single daemon) for unit tests of the JMS layer. It
 * is a faithful model of what the queue protocol relies on, and of nothing more:
 *
 * <ul>
 *   <li><b>One total order.</b> Every send, join, leave and disconnect takes its place in one sequence when it is
 *       called; its recipients are fixed at that point (a message to a group reaches the members of the group there,
 *       a sender in the group included). Every member receives its events in that order.</li>
 *   <li><b>Virtual synchrony for one segment.</b> A join, leave or disconnect is one regular membership message
 *       (JOIN, LEAVE, DISCONNECT) to every member of the new view, at the same point of the stream; the leaver gets a
 *       SELF_LEAVE there. Member lists are sorted byte-wise and view ids grow by one per change, as the embedded
 *       daemon does. Groups are open: a non-member may send to a group.</li>
 *   <li><b>Joins are confirmed at their place in the order</b>: when {@link FakeProvider#join} returns, every message
 *       sent to the group afterwards reaches the joiner.</li>
 * </ul>
 * Events are delivered deterministically: nothing reaches a listener until a test calls {@link #deliverAll()} or
 * {@link #deliverNext()}, which run the listeners on the calling thread (it plays every provider's dispatcher
 * thread; one at a time). Sends from other threads (a connection's timer) only append to the order, so a test
 * waits for them with {@link #awaitSent}. Faults: {@link #failSends} makes a member's next sends throw,
 * {@link #holdJoin}/{@link #holdLeave} block a join or leave until the test releases (or fails) it, and
 * {@link #crash} removes a member as a disconnect without its cooperation.
 */
public final class FakeSpread {
    /** How long a held join or leave waits for the test at most, so nothing hangs for ever. */
    private static final Duration GATE_MAX = Duration.ofSeconds(30);
    private static final int MAX_GROUP_NAME = 31;

    /**
     * A send that went into the order (failed attempts are only counted, see {@link #attempts}).
     *
     * @param position its place in the order, shared with {@link Change}s
     */
    public record Sent(long position, String sender, List<String> groups, ServiceType service, short messType,
                       byte[] payload) {
        @Override
        public String toString() {
            return "Sent[" + position + " " + sender + " -> " + groups + " type 0x" + Integer.toHexString(messType
                    & 0xffff) + ", " + payload.length + " bytes]";
        }
    }

    /** A membership change that went into the order, at {@code position} (shared with {@link Sent}s). */
    public record Change(long position, MembershipReason reason, String group, String member) {
    }

    private record Delivery(FakeProvider to, Object event) {
    }

    private final Object lock = new Object();
    private final ReentrantLock pump = new ReentrantLock();
    private final Map<String, FakeProvider> connected = new HashMap<>();
    private final Map<String, List<String>> groups = new HashMap<>();
    private final Map<String, Integer> viewIndex = new HashMap<>();
    private final ArrayDeque<Delivery> order = new ArrayDeque<>();
    private final List<Sent> sent = new ArrayList<>();
    private final List<Change> changes = new ArrayList<>();
    private final Map<String, Integer> attempts = new HashMap<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final Map<String, Gate> joinGates = new HashMap<>();
    private final Map<String, Gate> leaveGates = new HashMap<>();
    private int names;
    private long position;
    private volatile boolean reportsIdle;

    /** A new, not yet connected member; {@code name} "" lets the fake daemon pick one, as Spread does. */
    public FakeProvider provider(String name) {
        synchronized (lock) {
            String n = name.isEmpty() ? "f" + (++names) : name;
            return new FakeProvider(this, "#" + n + "#fake");
        }
    }

    // ---- faults

    /** The next {@code n} sends of {@code member} (its private group) throw a JMSException. */
    public void failSends(String member, int n) {
        synchronized (lock) {
            failures.put(member, n);
        }
    }

    /** The next join of {@code group} by {@code member} blocks until the returned gate is released or failed. */
    public Gate holdJoin(String member, String group) {
        Gate g = new Gate();
        synchronized (lock) {
            joinGates.put(member + " " + group, g);
        }
        return g;
    }

    /** The next leave of {@code group} by {@code member} blocks until the returned gate is released or failed. */
    public Gate holdLeave(String member, String group) {
        Gate g = new Gate();
        synchronized (lock) {
            leaveGates.put(member + " " + group, g);
        }
        return g;
    }

    /** {@code member} disappears (its process died): a DISCONNECT in each of its groups, nothing more reaches it. */
    public void crash(String member) {
        FakeProvider p;
        synchronized (lock) {
            p = connected.get(member);
        }
        if (p != null) {
            disconnect(p);
        }
    }

    // ---- delivery

    /** Delivers the next event in the order; false when none is queued. */
    public boolean deliverNext() {
        pump.lock();
        try {
            Delivery d;
            synchronized (lock) {
                do {
                    d = order.pollFirst();
                } while (d != null && !connected.containsKey(d.to().privateGroup()));
            }
            if (d == null) {
                return false;
            }
            ProviderListener l = d.to().listener();
            if (d.event() instanceof DataMessage dm) {
                l.onMessage(dm);
            } else {
                l.onMembership((MembershipMessage) d.event());
            }
            return true;
        } finally {
            pump.unlock();
        }
    }

    /**
     * Makes every provider report idle ({@link Provider#reportsIdle()}), as the real one does: then a session given a
     * message during {@link #deliverAll()} is woken by {@link #idle()} (or after a run of messages), not at once.
     */
    public void reportIdle(boolean on) {
        reportsIdle = on;
    }

    boolean reportsIdle() {
        return reportsIdle;
    }

    /** Tells every connected provider's listener that its dispatcher has nothing more to deliver, as the real one. */
    public void idle() {
        pump.lock();
        try {
            List<FakeProvider> members;
            synchronized (lock) {
                members = new ArrayList<>(connected.values());
            }
            for (FakeProvider p : members) {
                p.listener().onIdle();
            }
        } finally {
            pump.unlock();
        }
    }

    /** Delivers events until none is queued; returns how many. */
    public int deliverAll() {
        int n = 0;
        while (deliverNext()) {
            n++;
        }
        return n;
    }

    /** Events waiting for delivery. */
    public int queued() {
        synchronized (lock) {
            return order.size();
        }
    }

    // ---- what happened

    /** The members of {@code group}, sorted, as of the end of the order so far. */
    public List<String> members(String group) {
        synchronized (lock) {
            return List.copyOf(groups.getOrDefault(group, List.of()));
        }
    }

    /** Every send that went into the order, in order. */
    public List<Sent> sent() {
        synchronized (lock) {
            return List.copyOf(sent);
        }
    }

    /** Every membership change, in order. */
    public List<Change> changes() {
        synchronized (lock) {
            return List.copyOf(changes);
        }
    }

    /** Send attempts of {@code member}, failed ones included. */
    public int attempts(String member) {
        synchronized (lock) {
            return attempts.getOrDefault(member, 0);
        }
    }

    /** Waits until a send matching {@code p} is in the order, and returns the first one. */
    public Sent awaitSent(Predicate<Sent> p, Duration max) {
        Sent[] found = new Sent[1];
        await(() -> {
            for (Sent s : sent) {
                if (p.test(s)) {
                    found[0] = s;
                    return true;
                }
            }
            return false;
        }, "a matching send", max);
        return found[0];
    }

    /** Waits until {@code condition} (evaluated under the bus's lock) holds after some send or membership change. */
    public void await(BooleanSupplier condition, String what, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (lock) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + what + " within " + max.toMillis() + " ms; sent: " + sent
                            + ", changes: " + changes);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    // ---- the daemon side of FakeProvider

    void connect(FakeProvider p) throws JMSException {
        synchronized (lock) {
            if (connected.putIfAbsent(p.privateGroup(), p) != null) {
                throw new JMSException("private name " + p.privateGroup() + " is in use (REJECT_NOT_UNIQUE)");
            }
        }
    }

    void join(FakeProvider p, String group) throws JMSException {
        checkGroup(group);
        passGate(joinGates, p, group);
        synchronized (lock) {
            checkConnected(p);
            List<String> members = groups.computeIfAbsent(group, g -> new ArrayList<>());
            if (members.contains(p.privateGroup())) {
                return; // a duplicate join changes nothing
            }
            members.add(p.privateGroup());
            members.sort(null);
            regular(MembershipReason.JOIN, group, p.privateGroup());
        }
    }

    void leave(FakeProvider p, String group) throws JMSException {
        checkGroup(group);
        passGate(leaveGates, p, group);
        synchronized (lock) {
            checkConnected(p);
            List<String> members = groups.get(group);
            if (members == null || !members.remove(p.privateGroup())) {
                return;
            }
            order.addLast(new Delivery(p, new MembershipMessage(MembershipReason.SELF_LEAVE.typeWord(),
                    MembershipReason.SELF_LEAVE, group, null, List.of(), List.of(), -1, -1)));
            regular(MembershipReason.LEAVE, group, p.privateGroup());
        }
    }

    void disconnect(FakeProvider p) {
        synchronized (lock) {
            if (!connected.remove(p.privateGroup(), p)) {
                return;
            }
            for (Map.Entry<String, List<String>> e : groups.entrySet()) {
                if (e.getValue().remove(p.privateGroup())) {
                    regular(MembershipReason.DISCONNECT, e.getKey(), p.privateGroup());
                }
            }
            order.removeIf(d -> d.to() == p);
        }
    }

    void send(FakeProvider p, List<String> to, ServiceType service, short messType, byte[] payload)
            throws JMSException {
        synchronized (lock) {
            attempts.merge(p.privateGroup(), 1, Integer::sum);
            Integer fail = failures.get(p.privateGroup());
            if (fail != null && fail > 0) {
                failures.put(p.privateGroup(), fail - 1);
                lock.notifyAll();
                throw new JMSException("send to " + to + " failed (a fault injected by the test)");
            }
            checkConnected(p);
            Set<FakeProvider> recipients = new LinkedHashSet<>();
            for (String g : to) {
                if (g.startsWith("#")) {
                    FakeProvider r = connected.get(g);
                    if (r != null) {
                        recipients.add(r);
                    }
                } else {
                    checkGroup(g);
                    for (String m : groups.getOrDefault(g, List.of())) {
                        recipients.add(connected.get(m));
                    }
                }
            }
            for (FakeProvider r : recipients) {
                order.addLast(new Delivery(r, new DataMessage(service.bit(), p.privateGroup(), to, messType, false,
                        payload.clone())));
            }
            sent.add(new Sent(++position, p.privateGroup(), List.copyOf(to), service, messType, payload));
            lock.notifyAll();
        }
    }

    /** Under {@link #lock}: one regular membership to every member of the group's new view. */
    private void regular(MembershipReason reason, String group, String changed) {
        List<String> members = List.copyOf(groups.get(group));
        GroupId id = new GroupId(1, 1, viewIndex.merge(group, 1, Integer::sum));
        for (int i = 0; i < members.size(); i++) {
            order.addLast(new Delivery(connected.get(members.get(i)), new MembershipMessage(reason.typeWord(), reason,
                    group, id, members, List.of(List.of(changed)), 0, i)));
        }
        changes.add(new Change(++position, reason, group, changed));
        lock.notifyAll();
    }

    private void checkConnected(FakeProvider p) throws JMSException {
        if (connected.get(p.privateGroup()) != p) {
            throw new JMSException("the Spread connection " + p.privateGroup() + " is closed");
        }
    }

    private static void checkGroup(String group) throws InvalidDestinationException {
        if (group.isEmpty() || group.length() > MAX_GROUP_NAME) {
            throw new InvalidDestinationException("illegal Spread group name '" + group + "' (1 to " + MAX_GROUP_NAME
                    + " characters)");
        }
    }

    private void passGate(Map<String, Gate> gates, FakeProvider p, String group) throws JMSException {
        Gate g;
        synchronized (lock) {
            g = gates.remove(p.privateGroup() + " " + group);
        }
        if (g != null) {
            g.pass();
        }
    }

    /** A join or leave held by the test. */
    public static final class Gate {
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CompletableFuture<Void> outcome = new CompletableFuture<>();

        /** Waits until the held call is waiting at this gate. */
        public void awaitArrival(Duration max) throws InterruptedException {
            if (!arrived.await(max.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new AssertionError("nobody reached the gate within " + max.toMillis() + " ms");
            }
        }

        /** Lets the held call go on. */
        public void release() {
            outcome.complete(null);
        }

        /** Makes the held call throw {@code e}, as a daemon refusing it. */
        public void fail(JMSException e) {
            outcome.completeExceptionally(e);
        }

        public boolean isOpen() {
            return outcome.isDone();
        }

        private void pass() throws JMSException {
            arrived.countDown();
            try {
                outcome.get(GATE_MAX.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw (JMSException) e.getCause();
            } catch (TimeoutException e) {
                throw new JMSException("the test never released this gate within " + GATE_MAX.toSeconds() + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JMSException("interrupted at a gate");
            }
        }
    }
}
