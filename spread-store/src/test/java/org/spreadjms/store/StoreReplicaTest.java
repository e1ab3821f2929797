package org.spreadjms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;
import org.spreadjms.store.log.FsyncPolicy;
import org.spreadjms.store.log.Tmpfs;

/** Who serves after a full restart, and a member whose log fails leaving the replica group. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StoreReplicaTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();
    private static final AtomicInteger NAMES = new AtomicInteger(100);

    @TempDir
    Path dir;

    private final int n = NAMES.incrementAndGet();
    private final String control = "$store.r" + n;
    private final String orders = "orders" + n;

    private StoreMemberOptions options(String name, int bootstrapMembers) {
        return new StoreMemberOptions(daemon.port() + "@127.0.0.1", name, dir.resolve(name),
                FsyncPolicy.always(), List.of(orders), control, bootstrapMembers, StoreClient.WAIT, 64L << 20);
    }

    @Test
    void afterAFullRestartTheMostAdvancedMemberServesAndTheOtherTakesItsState() throws Exception {
        String a = "ra" + n;
        String b = "rb" + n;
        try (StoreClient p = new StoreClient(daemon.port(), "pb" + n)) {
            StoreMember ma = StoreMember.start(options(a, 1));
            ma.awaitServing(StoreClient.WAIT);
            try (StoreMember mb = StoreMember.start(options(b, 1))) {
                mb.awaitServing(StoreClient.WAIT);
                for (int i = 0; i < 100; i++) {
                    p.send(orders, "m" + i);
                }
                p.awaitStored(List.of(ma.privateGroup(), mb.privateGroup()), StoreClient.ids("m", 0, 100),
                        StoreClient.WAIT);
            }
            // only A gets these: B's log is behind
            for (int i = 100; i < 150; i++) {
                p.send(orders, "m" + i);
            }
            p.awaitStored(List.of(ma.privateGroup()), StoreClient.ids("m", 100, 150), StoreClient.WAIT);
            List<String> expected = StoreClient.contents(ma.log(), orders);
            ma.close();

            // both restart, the stale one first; with bootstrapMembers=2 neither serves alone
            StoreMember rb = StoreMember.start(options(b, 2));
            try {
                TimeoutException alone = org.junit.jupiter.api.Assertions.assertThrows(TimeoutException.class,
                        () -> rb.awaitServing(java.time.Duration.ofMillis(500)));
                assertTrue(alone.getMessage().contains("did not catch up"), alone.getMessage());
                try (StoreMember ra = StoreMember.start(options(a, 2))) {
                    ra.awaitServing(StoreClient.WAIT);
                    rb.awaitServing(StoreClient.WAIT);
                    assertEquals(expected, StoreClient.contents(ra.log(), orders), "A served its own log");
                    assertEquals(expected, StoreClient.contents(rb.log(), orders), "B took A's state");
                    assertEquals(150, expected.size());
                }
            } finally {
                rb.close();
            }
        }
    }

    @Test
    void aMemberWhoseLogFailsLeavesAndAcknowledgesNothingItDidNotWrite() throws Exception {
        try (StoreClient p = new StoreClient(daemon.port(), "pf" + n);
             StoreMember a = StoreMember.start(options("fa" + n, 1))) {
            a.awaitServing(StoreClient.WAIT);
            StoreMember b = StoreMember.start(options("fb" + n, 1));
            try {
                b.awaitServing(StoreClient.WAIT);
                p.send(orders, "before");
                p.awaitStored(List.of(a.privateGroup(), b.privateGroup()), Set.of("before"), StoreClient.WAIT);
                assertEquals(2, p.lastStoreMembers);

                b.log().close(); // the engine is gone: B cannot write what comes next
                p.send(orders, "lost-at-b");
                String why = b.failure().get(StoreClient.WAIT_SECONDS, TimeUnit.SECONDS);
                assertTrue(why.contains("lost-at-b") && why.contains("closed"), why);
                p.awaitStored(List.of(a.privateGroup()), Set.of("lost-at-b"), StoreClient.WAIT);

                // B left the replica group: A's acknowledgements soon say one store member, and B sends none
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(StoreClient.WAIT_SECONDS);
                int probe = 0;
                while (p.lastStoreMembers != 1) {
                    assertTrue(System.nanoTime() < deadline, "A still counts " + p.lastStoreMembers + " members");
                    p.send(orders, "probe" + probe);
                    p.awaitStored(List.of(a.privateGroup()), Set.of("probe" + probe), StoreClient.WAIT);
                    probe++;
                }
                assertEquals(1, a.storeMembers());
                assertFalse(p.stored.get(b.privateGroup()).contains("lost-at-b"),
                        "B never acknowledged what it did not write");
            } finally {
                b.close();
            }
        }
    }

    @Test
    void aMemberWhoseDiskIsFullLeavesWhileTheOtherKeepsStoring() throws Exception {
        try (Tmpfs tmpfs = Tmpfs.mount(dir.resolve("tmpfs"), 32);
             StoreClient p = new StoreClient(daemon.port(), "pz" + n);
             StoreMember a = StoreMember.start(options("za" + n, 1))) {
            a.awaitServing(StoreClient.WAIT);
            StoreMemberOptions ob = new StoreMemberOptions(daemon.port() + "@127.0.0.1", "zb" + n,
                    tmpfs.path().resolve("data"), FsyncPolicy.always(), List.of(orders), control, 1, StoreClient.WAIT,
                    64L << 20);
            try (StoreMember b = StoreMember.start(ob)) {
                b.awaitServing(StoreClient.WAIT);
                tmpfs.fill(tmpfs.path().resolve("filler"));
                // 10 KiB messages until B's disk refuses one; A stores them all
                byte[] body = new byte[10 * 1024];
                int i = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                while (!b.failure().isDone()) {
                    assertTrue(System.nanoTime() < deadline && i < 20_000, "B never filled its disk (" + i + ")");
                    p.connection.multicast(org.spreadjms.client.ServiceType.SAFE, orders,
                            org.spreadjms.jms.store.PersistentMessages.KEYED,
                            org.spreadjms.jms.store.PersistentMessages.keyed("z" + i, body));
                    p.awaitStored(List.of(a.privateGroup()), Set.of("z" + i), StoreClient.WAIT);
                    i++;
                }
                String why = b.failure().get();
                assertTrue(why.contains("disk is full"), why);
                p.send(orders, "after");
                p.awaitStored(List.of(a.privateGroup()), Set.of("after"), StoreClient.WAIT);
                Set<String> ackedByB = p.stored.getOrDefault(b.privateGroup(), Set.of());
                Set<String> inB = new java.util.HashSet<>();
                StoreClient.contents(b.log(), orders).forEach(s -> inB.add(s.substring(s.indexOf('/') + 1)));
                assertTrue(inB.containsAll(ackedByB), "B acknowledged only what it wrote");
                assertFalse(ackedByB.contains("after"), "B acknowledges nothing after the failure");
                assertEquals(i + 1, StoreClient.contents(a.log(), orders).size(), "A stored every message");
                System.out.printf("disk full at a store member after %d acknowledged: %s%n", ackedByB.size(), why);
            }
        }
    }
}
