package org.spreadjms.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.ReceivedMessage;
import org.spreadjms.daemon.EmbeddedSpreadSegment;
import org.spreadjms.jms.store.StoreControlCodec;
import org.spreadjms.store.log.FsyncPolicy;

/**
 * Three store members (replicas = 3) on two daemons, partitioned 2 | 1 and merged: the majority side keeps storing
 * and acknowledging, the minority member acknowledges nothing, and after the merge it holds the majority's state.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StorePartitionTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheMajoritySideAcknowledgesAndTheMinorityTakesItsStateAfterTheMerge() throws Exception {
        String orders = "porders";
        try (EmbeddedSpreadSegment segment = EmbeddedSpreadSegment.start("d1", "d2")) {
            int p1 = segment.port("d1");
            int p2 = segment.port("d2");
            try (StoreMember a = member(p1, "pa"); StoreMember b = member(p1, "pb"); StoreMember c = member(p2, "pc");
                 StoreClient left = new StoreClient(p1, "left"); StoreClient right = new StoreClient(p2, "right")) {
                for (StoreMember m : List.of(a, b, c)) {
                    m.awaitServing(StoreClient.WAIT);
                }
                List<String> all = List.of(a.privateGroup(), b.privateGroup(), c.privateGroup());
                for (int i = 0; i < 20; i++) {
                    left.send(orders, "before" + i);
                }
                left.awaitStored(all, StoreClient.ids("before", 0, 20), StoreClient.WAIT);
                assertEquals(3, left.lastStoreMembers);

                segment.partition(Set.of("d1"), Set.of("d2"));
                for (int i = 0; i < 30; i++) {
                    left.send(orders, "during" + i);
                }
                left.awaitStored(List.of(a.privateGroup(), b.privateGroup()), StoreClient.ids("during", 0, 30),
                        StoreClient.WAIT);
                assertEquals(2, left.lastStoreMembers, "the majority side counts two members");
                right.send(orders, "minority");
                ReceivedMessage r = right.connection.receive(Duration.ofMillis(700));
                assertNull(r instanceof DataMessage d && d.messType() == StoreControlCodec.MESS_TYPE ? r : null,
                        "the minority member acknowledged " + r);
                assertFalse(c.isServing(), "the minority member does not serve");

                segment.merge();
                c.awaitServing(StoreClient.WAIT);
                left.send(orders, "after");
                left.awaitStored(all, Set.of("after"), StoreClient.WAIT);
                assertEquals(3, left.lastStoreMembers);
                List<String> majority = StoreClient.contents(a.log(), orders);
                assertEquals(majority, StoreClient.contents(b.log(), orders));
                assertEquals(majority, StoreClient.contents(c.log(), orders), "the minority took the majority's state");
                assertEquals(51, majority.size());
                assertTrue(majority.stream().noneMatch(s -> s.endsWith("/minority")),
                        "what only the minority saw is not kept");
                ReceivedMessage late = right.connection.receive(Duration.ofMillis(500));
                assertNull(late instanceof DataMessage d && d.messType() == StoreControlCodec.MESS_TYPE ? late : null,
                        "nor acknowledged after the merge: " + late);
            }
        }
    }

    private StoreMember member(int port, String name) throws Exception {
        return StoreMember.start(new StoreMemberOptions(port + "@127.0.0.1", name, dir.resolve(name),
                FsyncPolicy.defaultPolicy(), List.of("porders"), "$store.part", 1, StoreClient.WAIT, 64L << 20, 3));
    }
}
