package org.spreadjms.daemon.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.MembershipMessage;
import org.spreadjms.client.Multicast;
import org.spreadjms.client.ReceivedMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadError;
import org.spreadjms.client.SpreadException;
import org.spreadjms.client.SpreadListener;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.client.membership.GroupView;
import org.spreadjms.client.membership.MembershipReason;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/**
 * The client against a daemon over real sockets: the embedded one by default, a real Spread daemon with
 * {@code -Dspread.test.externalPort=4803}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpreadConnectionEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final AtomicInteger NAMES = new AtomicInteger();

    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private static String unique(String prefix) {
        return prefix + NAMES.incrementAndGet() + Integer.toString(new Random().nextInt(1000));
    }

    private static SpreadConnection connect(String name) throws SpreadException {
        return SpreadConnection.connect(SpreadOptions.builder().daemon("127.0.0.1", daemon.port()).privateName(name)
                .build());
    }

    private static DataMessage nextData(SpreadConnection c) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            ReceivedMessage m = c.receive(WAIT);
            if (m instanceof DataMessage d) {
                return d;
            }
        }
        throw new AssertionError("no data message within " + WAIT);
    }

    private static MembershipMessage nextMembership(SpreadConnection c) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            ReceivedMessage m = c.receive(WAIT);
            if (m instanceof MembershipMessage mm) {
                return mm;
            }
        }
        throw new AssertionError("no membership message within " + WAIT);
    }

    @Test
    void connectsWithAndWithoutAPrivateNameAndRefusesADuplicate() throws Exception {
        String name = unique("e");
        try (SpreadConnection named = connect(name); SpreadConnection anonymous = connect("")) {
            assertTrue(named.privateGroup().startsWith("#" + name + "#"), named.privateGroup());
            assertTrue(anonymous.privateGroup().startsWith("#"), anonymous.privateGroup());
            SpreadException dup = assertThrows(SpreadException.ConnectionRejectedException.class, () -> connect(name));
            assertEquals(SpreadError.REJECT_NOT_UNIQUE, dup.error());
        }
    }

    @Test
    void joinAndLeaveAreSeenByTheOtherMemberWithGrowingGroupIds() throws Exception {
        String group = unique("jl");
        try (SpreadConnection a = connect(unique("a")); SpreadConnection b = connect(unique("b"))) {
            GroupView first = a.join(group, WAIT);
            assertEquals(List.of(a.privateGroup()), first.members());
            assertEquals(MembershipReason.JOIN, nextMembership(a).reason());
            GroupView both = b.join(group, WAIT);
            assertEquals(2, both.members().size());
            MembershipMessage seen = nextMembership(a);
            assertEquals(MembershipReason.JOIN, seen.reason());
            assertEquals(List.of(b.privateGroup()), seen.changedMembers());
            assertEquals(first.id().index() + 1, seen.groupId().index());
            b.leave(group, WAIT);
            MembershipMessage left = nextMembership(a);
            assertEquals(MembershipReason.LEAVE, left.reason());
            assertEquals(List.of(b.privateGroup()), left.changedMembers());
            assertEquals(List.of(a.privateGroup()), a.groupView(group).members());
            assertNull(b.groupView(group));
        }
    }

    @Test
    void everyServiceTypeDeliversToMembersWithMessTypeAndPayload() throws Exception {
        String group = unique("st");
        try (SpreadConnection a = connect(unique("a")); SpreadConnection b = connect(unique("b"))) {
            a.join(group, WAIT);
            b.join(group, WAIT);
            for (ServiceType st : ServiceType.values()) {
                byte[] payload = ("hello " + st).getBytes();
                a.multicast(st, group, (short) 0x1234, payload);
                DataMessage got = nextData(b);
                assertEquals(st, got.serviceType());
                assertEquals((short) 0x1234, got.messType());
                assertEquals(a.privateGroup(), got.sender());
                assertEquals(List.of(group), got.groups());
                assertArrayEquals(payload, got.data());
                assertFalse(got.endianMismatch());
                assertArrayEquals(payload, nextData(a).data(), "the sender is a member and gets its copy");
            }
        }
    }

    @Test
    void multigroupDeliversOneCopySelfDiscardSkipsTheSenderAndPointToPointReachesOnlyTheTarget()
            throws Exception {
        String g1 = unique("m1");
        String g2 = unique("m2");
        try (SpreadConnection a = connect(unique("a")); SpreadConnection b = connect(unique("b"));
             SpreadConnection c = connect(unique("c"))) {
            a.join(g1, WAIT);
            b.join(g1, WAIT);
            b.join(g2, WAIT);
            a.multicast(Multicast.to(g1, g2).service(ServiceType.SAFE).selfDiscard(true).messType((short) -2)
                    .data("multi".getBytes()));
            DataMessage got = nextData(b);
            assertEquals(List.of(g1, g2), got.groups());
            assertTrue(got.selfDiscard());
            assertEquals((short) -2, got.messType());
            c.multicast(ServiceType.FIFO, b.privateGroup(), (short) 9, "p2p".getBytes());
            DataMessage p2p = nextData(b);
            assertEquals("p2p", new String(p2p.data()));
            assertEquals(List.of(b.privateGroup()), p2p.groups());
            // marker: nothing else was queued for b (one copy of the multigroup message) or for a (self-discard)
            a.multicast(ServiceType.AGREED, g1, (short) 0, "marker".getBytes());
            assertEquals("marker", new String(nextData(b).data()));
            assertEquals("marker", new String(nextData(a).data()));
            assertNull(c.receive(Duration.ofMillis(100)), "c joined nothing and got no copy");
        }
    }

    @Test
    void largestPayloadTheDaemonTakesArrivesIntactAndOneByteMoreIsRefusedBeforeSending() throws Exception {
        String group = unique("big");
        try (SpreadConnection a = connect(unique("a")); SpreadConnection b = connect(unique("b"))) {
            b.join(group, WAIT);
            byte[] big = new byte[a.limits().maxDataBytes(1)];
            new Random(7).nextBytes(big);
            a.multicast(ServiceType.RELIABLE, group, (short) 1, big);
            assertArrayEquals(big, nextData(b).data());
            SpreadException tooBig = assertThrows(SpreadException.IllegalRequestException.class,
                    () -> a.multicast(ServiceType.RELIABLE, group, (short) 1, new byte[big.length + 1]));
            assertEquals(SpreadError.MESSAGE_TOO_LONG, tooBig.error());
            a.multicast(ServiceType.RELIABLE, group, (short) 1, "still fine".getBytes());
            assertEquals("still fine", new String(nextData(b).data()));
        }
    }

    @Test
    void disconnectIsSeenByTheOthers() throws Exception {
        String group = unique("dc");
        try (SpreadConnection a = connect(unique("a"))) {
            a.join(group, WAIT);
            nextMembership(a);
            SpreadConnection b = connect(unique("b"));
            b.join(group, WAIT);
            nextMembership(a);
            b.disconnect();
            MembershipMessage gone = nextMembership(a);
            assertEquals(MembershipReason.DISCONNECT, gone.reason());
            assertEquals(List.of(b.privateGroup()), gone.changedMembers());
            assertThrows(SpreadException.ConnectionClosedException.class,
                    () -> b.multicast(ServiceType.AGREED, group, (short) 0, new byte[1]));
        }
    }

    @Test
    void listenersGetCallbacksPerGroupOnTheDispatcherThreadAndViewsAreKept() throws Exception {
        String g1 = unique("l1");
        String g2 = unique("l2");
        try (SpreadConnection a = connect(unique("a")); SpreadConnection b = connect(unique("b"))) {
            CountDownLatch g1Data = new CountDownLatch(1);
            CountDownLatch joins = new CountDownLatch(2);
            List<String> threads = new ArrayList<>();
            a.addListener(g1, new SpreadListener() {
                @Override
                public void onMessage(DataMessage message) {
                    threads.add(Thread.currentThread().getName());
                    g1Data.countDown();
                }

                @Override
                public void onJoin(MembershipMessage message) {
                    joins.countDown();
                }
            });
            AtomicInteger g2Messages = new AtomicInteger();
            a.addListener(g2, new SpreadListener() {
                @Override
                public void onMessage(DataMessage message) {
                    g2Messages.incrementAndGet();
                }
            });
            assertThrows(IllegalStateException.class, () -> a.receive(Duration.ZERO));
            a.join(g1, WAIT);
            b.join(g1, WAIT);
            assertTrue(joins.await(5, TimeUnit.SECONDS));
            b.multicast(ServiceType.AGREED, g1, (short) 0, "x".getBytes());
            assertTrue(g1Data.await(5, TimeUnit.SECONDS));
            assertEquals(0, g2Messages.get());
            assertTrue(threads.get(0).startsWith("spread-dispatch-"), threads.get(0));
            assertEquals(2, a.groupView(g1).members().size());
        }
    }

    @Test
    void manyThreadsMulticastConcurrentlyAndEveryMessageArrivesWhole() throws Exception {
        String group = unique("mt");
        int threads = 8;
        int each = 500;
        try (SpreadConnection sender = connect(unique("s")); SpreadConnection receiver = connect(unique("r"))) {
            receiver.join(group, WAIT);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts.add(new Thread(() -> {
                    try {
                        for (int i = 0; i < each; i++) {
                            sender.multicast(ServiceType.FIFO, group, (short) id, (id + ":" + i).getBytes());
                        }
                    } catch (SpreadException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            ts.forEach(Thread::start);
            Set<String> seen = new HashSet<>();
            int[] lastPerThread = new int[threads];
            java.util.Arrays.fill(lastPerThread, -1);
            for (int n = 0; n < threads * each; n++) {
                DataMessage m = nextData(receiver);
                String[] parts = new String(m.data()).split(":");
                int t = Integer.parseInt(parts[0]);
                int i = Integer.parseInt(parts[1]);
                assertEquals(t, m.messType());
                assertEquals(lastPerThread[t] + 1, i, "per-thread order");
                lastPerThread[t] = i;
                assertTrue(seen.add(t + ":" + i));
            }
            for (Thread t : ts) {
                t.join(5000);
            }
        }
    }

    @Test
    void illegalNamesAreRefusedBeforeAnythingIsSent() throws Exception {
        try (SpreadConnection a = connect(unique("a"))) {
            assertEquals(SpreadError.ILLEGAL_GROUP, assertThrows(SpreadException.class, () -> a.join("1abc")).error());
            assertEquals(SpreadError.ILLEGAL_GROUP, assertThrows(SpreadException.class, () -> a.join("")).error());
            assertEquals(SpreadError.ILLEGAL_GROUP, assertThrows(SpreadException.class,
                    () -> a.join("x".repeat(32))).error());
            assertEquals(SpreadError.ILLEGAL_GROUP, assertThrows(SpreadException.class,
                    () -> a.multicast(ServiceType.AGREED, "a#b", (short) 0, new byte[0])).error());
            assertEquals(SpreadError.REJECT_ILLEGAL_NAME, assertThrows(SpreadException.class,
                    () -> connect("elevenchars")).error());
            assertTrue(a.isOpen());
        }
    }

    @Test
    void pollCountsWaitingMessages() throws Exception {
        String group = unique("po");
        try (SpreadConnection a = connect(unique("a"))) {
            a.join(group, WAIT);
            assertInstanceOf(MembershipMessage.class, a.receive(WAIT));
            assertEquals(0, a.poll());
            a.multicast(ServiceType.AGREED, group, (short) 0, new byte[] {1});
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (a.poll() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(1, a.poll());
            assertNotNull(a.receive(Duration.ZERO));
        }
    }
}
