package org.spreadjms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/** Store members on the embedded daemon, over real sockets. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StoreMemberTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();
    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    Path dir;

    /** Each test its own control group and destinations, so that tests never see each other's members. */
    private final int n = NAMES.incrementAndGet();
    private final String control = "$store.t" + n;
    private final String orders = "orders" + n;
    private final String audit = "audit" + n;

    private StoreMemberOptions options(String name) {
        return new StoreMemberOptions(daemon.port() + "@127.0.0.1", name, dir.resolve(name),
                org.spreadjms.store.log.FsyncPolicy.defaultPolicy(), List.of(orders, audit), control, 1,
                StoreClient.WAIT, 64L << 20);
    }

    private StoreMember serving(String name) throws Exception {
        StoreMember m = StoreMember.start(options(name));
        m.awaitServing(StoreClient.WAIT);
        return m;
    }

    @Test
    void twoMembersPersistTheSameOrderedStreamAndTheSenderGetsTwoAcksPerMessage() throws Exception {
        try (StoreMember a = serving("sa" + n); StoreMember b = serving("sb" + n);
             StoreClient p1 = new StoreClient(daemon.port(), "p1x" + n);
             StoreClient p2 = new StoreClient(daemon.port(), "p2x" + n)) {
            Thread other = new Thread(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        p2.send(i % 3 == 0 ? audit : orders, "q" + i);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            other.start();
            for (int i = 0; i < 200; i++) {
                p1.send(orders, "m" + i);
            }
            other.join(TimeUnit.SECONDS.toMillis(StoreClient.WAIT_SECONDS));
            List<String> members = List.of(a.privateGroup(), b.privateGroup());
            p1.awaitStored(members, StoreClient.ids("m", 0, 200), StoreClient.WAIT);
            p2.awaitStored(members, StoreClient.ids("q", 0, 200), StoreClient.WAIT);
            assertEquals(2, p1.lastStoreMembers, "STORED says how many store members there are");
            List<String> ordersA = StoreClient.contents(a.log(), orders);
            assertEquals(200 + 133, ordersA.size());
            assertEquals(ordersA, StoreClient.contents(b.log(), orders), "same messages, same order, same sequences");
            assertEquals(StoreClient.contents(a.log(), audit), StoreClient.contents(b.log(), audit));
            assertEquals(67, StoreClient.contents(b.log(), audit).size());
            assertEquals(a.log().appliedIndex(), b.log().appliedIndex());
        }
    }

    @Test
    void aRestartedMemberKeepsEverythingAndContinuesTheSequence() throws Exception {
        List<String> before;
        try (StoreClient p = new StoreClient(daemon.port(), "pr" + n)) {
            try (StoreMember a = serving("sa" + n)) {
                for (int i = 0; i < 100; i++) {
                    p.send(orders, "m" + i);
                }
                p.awaitStored(List.of(a.privateGroup()), StoreClient.ids("m", 0, 100), StoreClient.WAIT);
                before = StoreClient.contents(a.log(), orders);
                assertEquals(100, before.size());
            }
            try (StoreMember a = serving("sa" + n)) {
                assertEquals(before, StoreClient.contents(a.log(), orders));
                p.send(orders, "after");
                p.awaitStored(List.of(a.privateGroup()), Set.of("after"), StoreClient.WAIT);
                List<String> now = StoreClient.contents(a.log(), orders);
                assertEquals("101 " + p.sender() + "/after", now.get(100));
            }
        }
    }

    @Test
    void aLateMemberCatchesUpByStateTransferIncludingDeletesAndTheLiveStreamMeanwhile() throws Exception {
        try (StoreClient p = new StoreClient(daemon.port(), "pl" + n); StoreMember a = serving("sa" + n)) {
            for (int i = 0; i < 500; i++) {
                p.send(i % 5 == 0 ? audit : orders, "m" + i);
            }
            p.awaitStored(List.of(a.privateGroup()), StoreClient.ids("m", 0, 500), StoreClient.WAIT);
            p.acked(orders, List.of("m1", "m2", "m3"));
            // B starts while the producer keeps sending: what B misses before its request comes in the state
            StoreMember b = StoreMember.start(options("sb" + n));
            try {
                for (int i = 500; i < 800; i++) {
                    p.send(orders, "m" + i);
                }
                b.awaitServing(StoreClient.WAIT);
                p.acked(orders, List.of("m4", "m600"));
                p.send(orders, "fence");
                List<String> members = List.of(a.privateGroup(), b.privateGroup());
                // every member in the control view when a message was delivered acknowledges it: B too, whether
                // the message reached it in the state (before its request) or live (after)
                p.awaitStored(members, StoreClient.ids("m", 500, 800), StoreClient.WAIT);
                assertEquals(2, p.lastStoreMembers);
                p.awaitStored(members, Set.of("fence"), StoreClient.WAIT);
                List<String> ordersA = StoreClient.contents(a.log(), orders);
                assertEquals(400 - 4 + 300 - 1 + 1, ordersA.size());
                assertFalse(ordersA.stream().anyMatch(s -> s.endsWith("/m1") || s.endsWith("/m600")));
                assertEquals(ordersA, StoreClient.contents(b.log(), orders));
                assertEquals(StoreClient.contents(a.log(), audit), StoreClient.contents(b.log(), audit));
                assertEquals(a.log().appliedIndex(), b.log().appliedIndex());
                assertEquals(a.log().lastSequence(orders), b.log().lastSequence(orders));
            } finally {
                b.close();
            }
            // B restarts with a stale log: its state is replaced by A's, deletes included
            p.acked(orders, List.of("m5", "m6"));
            p.send(orders, "while-b-was-down");
            p.awaitStored(List.of(a.privateGroup()), Set.of("while-b-was-down"), StoreClient.WAIT);
            try (StoreMember b2 = serving("sb" + n)) {
                p.send(orders, "fence2");
                p.awaitStored(List.of(a.privateGroup(), b2.privateGroup()), Set.of("fence2"), StoreClient.WAIT);
                assertEquals(StoreClient.contents(a.log(), orders), StoreClient.contents(b2.log(), orders));
                assertTrue(StoreClient.contents(b2.log(), orders).stream().noneMatch(s -> s.endsWith("/m5")));
            }
        }
    }

    @Test
    void aResentMessageIsStoredOnceAndAcknowledgedAgain() throws Exception {
        try (StoreMember a = serving("sa" + n); StoreClient p = new StoreClient(daemon.port(), "pd" + n)) {
            p.send(orders, "once");
            p.awaitStored(List.of(a.privateGroup()), Set.of("once"), StoreClient.WAIT);
            p.stored.clear();
            p.send(orders, "once");
            p.awaitStored(List.of(a.privateGroup()), Set.of("once"), StoreClient.WAIT);
            assertEquals(1, StoreClient.contents(a.log(), orders).size());
        }
    }

    @Test
    void malformedFramesAndMessagesAreDroppedAndTheMemberKeepsServing() throws Exception {
        try (StoreMember a = serving("sa" + n); StoreClient p = new StoreClient(daemon.port(), "pm" + n)) {
            short control = org.spreadjms.jms.store.StoreControlCodec.MESS_TYPE;
            org.spreadjms.client.ServiceType safe = org.spreadjms.client.ServiceType.SAFE;
            p.connection.multicast(safe, this.control, control, new byte[] {0x73, 1, 99, 0});
            p.connection.multicast(safe, this.control, control, new byte[] {0x73, 1, 2, 0, 1});
            p.connection.multicast(safe, a.privateGroup(), control, new byte[0]);
            p.connection.multicast(safe, orders, control, new byte[] {0x73, 1, 6, 0, 0, 1});
            p.connection.multicast(safe, orders, org.spreadjms.jms.store.PersistentMessages.KEYED, new byte[] {9, 1});
            p.connection.multicast(safe, orders, org.spreadjms.jms.store.PersistentMessages.JMS_ENVELOPE,
                    new byte[] {'S', 1, 2});
            // a state chunk from someone who is not this member's donor is ignored
            p.connection.multicast(safe, a.privateGroup(), control, org.spreadjms.jms.store.StoreControlCodec.encode(
                    new org.spreadjms.jms.store.StoreFrame.StateDone(1, 0, 0, java.util.Map.of(orders, 99L))));
            p.send(orders, "good");
            p.awaitStored(List.of(a.privateGroup()), Set.of("good"), StoreClient.WAIT);
            assertTrue(a.isServing());
            assertFalse(a.failure().isDone());
            assertEquals(List.of("1 " + p.sender() + "/good"), StoreClient.contents(a.log(), orders));
        }
    }
}
