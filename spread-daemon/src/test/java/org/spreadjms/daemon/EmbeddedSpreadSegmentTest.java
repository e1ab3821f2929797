package org.spreadjms.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.MembershipMessage;
import org.spreadjms.client.ReceivedMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadException;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.client.membership.GroupId;
import org.spreadjms.client.membership.MembershipReason;

/** Several daemons as one segment: shared groups across daemons, partitions and merges with network memberships. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EmbeddedSpreadSegmentTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static SpreadConnection connect(EmbeddedSpreadSegment s, String daemon, String name) throws Exception {
        return SpreadConnection.connect(SpreadOptions.builder().daemon("127.0.0.1", s.port(daemon)).privateName(name)
                .build());
    }

    private static ReceivedMessage next(SpreadConnection c) throws Exception {
        ReceivedMessage m = c.receive(WAIT);
        if (m == null) {
            throw new AssertionError(c.privateGroup() + " received nothing within " + WAIT);
        }
        return m;
    }

    private static MembershipMessage membership(SpreadConnection c, MembershipReason reason) throws Exception {
        MembershipMessage m = assertInstanceOf(MembershipMessage.class, next(c));
        assertEquals(reason, m.reason(), m.toString());
        return m;
    }

    private static void skipJoins(SpreadConnection c, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            membership(c, MembershipReason.JOIN);
        }
    }

    @Test
    void clientsOnDifferentDaemonsShareGroupsOrderAndMembershipListedByDaemon() throws Exception {
        try (EmbeddedSpreadSegment seg = EmbeddedSpreadSegment.start("d1", "d2");
             SpreadConnection zed = connect(seg, "d1", "zed"); SpreadConnection amy = connect(seg, "d2", "amy")) {
            assertEquals("#zed#d1", zed.privateGroup());
            assertEquals("#amy#d2", amy.privateGroup());
            zed.join("g", WAIT);
            amy.join("g", WAIT);
            skipJoins(zed, 1);
            MembershipMessage both = membership(zed, MembershipReason.JOIN);
            assertEquals(List.of("#zed#d1", "#amy#d2"), both.members(), "daemon order first, then name");
            assertEquals(both.members(), membership(amy, MembershipReason.JOIN).members());
            amy.multicast(ServiceType.AGREED, "g", (short) 1, "hi".getBytes());
            assertEquals("hi", new String(assertInstanceOf(DataMessage.class, next(zed)).data()));
            assertEquals("hi", new String(assertInstanceOf(DataMessage.class, next(amy)).data()));
            zed.multicast(ServiceType.FIFO, amy.privateGroup(), (short) 2, "p2p".getBytes());
            assertEquals("p2p", new String(assertInstanceOf(DataMessage.class, next(amy)).data()));
        }
    }

    @Test
    void partitionAndMergeDeliverTransitionalThenNetworkMembershipsWithVirtualSynchronySets() throws Exception {
        try (EmbeddedSpreadSegment seg = EmbeddedSpreadSegment.start("d1", "d2", "d3");
             SpreadConnection a = connect(seg, "d1", "a"); SpreadConnection b = connect(seg, "d2", "b");
             SpreadConnection c = connect(seg, "d3", "c")) {
            a.join("g", WAIT);
            b.join("g", WAIT);
            c.join("g", WAIT);
            skipJoins(a, 3);
            skipJoins(b, 2);
            skipJoins(c, 1);
            GroupId before = a.groupView("g").id();
            a.multicast(ServiceType.SAFE, "g", (short) 0, "before".getBytes());
            // once a has its own copy the daemon has ordered the message: it is in the old view everywhere
            assertEquals("before", new String(assertInstanceOf(DataMessage.class, next(a)).data()));

            seg.partition(Set.of("d1"), Set.of("d2", "d3"));

            // a: transitional, then the network view of itself
            MembershipMessage ta = membership(a, MembershipReason.TRANSITIONAL);
            assertEquals(before, ta.groupId(), "transitional carries the old view's id");
            MembershipMessage na = membership(a, MembershipReason.NETWORK);
            assertEquals(List.of("#a#d1"), na.members());
            assertEquals(List.of(List.of("#a#d1")), na.virtualSynchronySets());
            assertEquals(1, na.groupId().index());
            assertNotEquals(before.time(), na.groupId().time(), "a new membership id");
            // b and c moved together: one vs set with both
            for (SpreadConnection x : List.of(b, c)) {
                assertEquals("before", new String(assertInstanceOf(DataMessage.class, next(x)).data()));
                assertEquals(before, membership(x, MembershipReason.TRANSITIONAL).groupId());
                MembershipMessage n = membership(x, MembershipReason.NETWORK);
                assertEquals(List.of("#b#d2", "#c#d3"), n.members());
                assertEquals(List.of(List.of("#b#d2", "#c#d3")), n.virtualSynchronySets());
                assertEquals(n.members(), n.localVirtualSynchronySet());
            }

            // the sides no longer hear each other
            a.multicast(ServiceType.AGREED, "g", (short) 0, "a-alone".getBytes());
            b.multicast(ServiceType.AGREED, "g", (short) 0, "bc-side".getBytes());
            assertEquals("a-alone", new String(assertInstanceOf(DataMessage.class, next(a)).data()));
            assertEquals("bc-side", new String(assertInstanceOf(DataMessage.class, next(b)).data()));
            assertEquals("bc-side", new String(assertInstanceOf(DataMessage.class, next(c)).data()));
            assertNull(a.receive(Duration.ofMillis(100)));

            seg.merge();

            membership(a, MembershipReason.TRANSITIONAL);
            MembershipMessage ma = membership(a, MembershipReason.NETWORK);
            assertEquals(List.of("#a#d1", "#b#d2", "#c#d3"), ma.members());
            assertEquals(List.of(List.of("#a#d1"), List.of("#b#d2", "#c#d3")), ma.virtualSynchronySets());
            assertEquals(List.of("#a#d1"), ma.localVirtualSynchronySet());
            assertEquals(List.of("#b#d2", "#c#d3"), ma.changedMembers(), "those that merged in");
            membership(b, MembershipReason.TRANSITIONAL);
            MembershipMessage mb = membership(b, MembershipReason.NETWORK);
            assertEquals(List.of("#b#d2", "#c#d3"), mb.localVirtualSynchronySet());
            assertEquals(ma.groupId(), mb.groupId(), "one view id after the merge");
            c.multicast(ServiceType.AGREED, "g", (short) 0, "together".getBytes());
            for (SpreadConnection x : List.of(a, b)) {
                DataMessage d = assertInstanceOf(DataMessage.class, next(x));
                assertEquals("together", new String(d.data()));
            }
            assertTrue(c.groupView("g").members().size() == 3);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(ServiceType.class)
    void messagesAroundAPartitionAreDeliveredInOneViewOnlyAndTheSameOnBothSides(ServiceType service)
            throws Exception {
        try (EmbeddedSpreadSegment seg = EmbeddedSpreadSegment.start("d1", "d2");
             SpreadConnection a = connect(seg, "d1", "a"); SpreadConnection b = connect(seg, "d2", "b")) {
            a.join("g", WAIT);
            b.join("g", WAIT);
            skipJoins(a, 2);
            skipJoins(b, 1);
            for (int i = 0; i < 20; i++) {
                b.multicast(service, "g", (short) i, ("m" + i).getBytes());
            }
            seg.partition(Set.of("d1"), Set.of("d2"));
            b.multicast(service, "g", (short) 99, "after".getBytes());
            // a: a prefix of b's messages in the old view, then the change, then nothing from b's side
            List<String> aOld = new java.util.ArrayList<>();
            ReceivedMessage m;
            while ((m = next(a)) instanceof DataMessage d) {
                assertEquals(service, d.serviceType());
                aOld.add(new String(d.data()));
            }
            assertEquals(MembershipReason.TRANSITIONAL, ((MembershipMessage) m).reason());
            assertEquals(List.of("#a#d1"), membership(a, MembershipReason.NETWORK).members());
            assertNull(a.receive(Duration.ofMillis(100)), "nothing of b's side crosses the partition");
            // b: the same messages in the old view, then the change, then the rest and its later message
            List<String> bOld = new java.util.ArrayList<>();
            while ((m = next(b)) instanceof DataMessage d) {
                bOld.add(new String(d.data()));
            }
            assertEquals(MembershipReason.TRANSITIONAL, ((MembershipMessage) m).reason());
            membership(b, MembershipReason.NETWORK);
            assertEquals(bOld, aOld, "virtual synchrony: both saw the same messages in the old view");
            List<String> all = new java.util.ArrayList<>(bOld);
            while (all.size() < 21) {
                all.add(new String(assertInstanceOf(DataMessage.class, next(b)).data()));
            }
            for (int i = 0; i < 20; i++) {
                assertEquals("m" + i, all.get(i), "b's own messages in sending order across the change");
            }
            assertEquals("after", all.get(20));
        }
    }

    @Test
    void refusesBadDaemonNamesAndPartitionsThatDoNotCoverEveryDaemonOnce() throws Exception {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> EmbeddedSpreadSegment.start("d1", "d1"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> EmbeddedSpreadSegment.start("bad name"));
        try (EmbeddedSpreadSegment seg = EmbeddedSpreadSegment.start("d1", "d2")) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> seg.partition(Set.of("d1")));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> seg.partition(Set.of("d1", "d2"), Set.of("d2")));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> seg.partition(Set.of("d1"), Set.of("nope")));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> seg.port("nope"));
            seg.merge(); // still usable after refused partitions
        }
    }

    @Test
    void aCrashedDaemonsClientsLeaveTheOthersViewsLoseTheirConnectionAndItsPortRefuses() throws Exception {
        try (EmbeddedSpreadSegment seg = EmbeddedSpreadSegment.start("d1", "d2", "d3");
             SpreadConnection a = connect(seg, "d1", "a"); SpreadConnection b = connect(seg, "d2", "b");
             SpreadConnection c = connect(seg, "d3", "c")) {
            for (SpreadConnection x : List.of(a, b, c)) {
                x.join("g", WAIT);
            }
            skipJoins(a, 3);
            skipJoins(b, 2);
            skipJoins(c, 1);

            seg.crash("d1");

            for (SpreadConnection x : List.of(b, c)) {
                membership(x, MembershipReason.TRANSITIONAL);
                MembershipMessage n = membership(x, MembershipReason.NETWORK);
                assertEquals(List.of("#b#d2", "#c#d3"), n.members(), "the crashed daemon's client is gone");
            }
            org.junit.jupiter.api.Assertions.assertThrows(SpreadException.ConnectionClosedException.class,
                    () -> a.receive(WAIT), "the crashed daemon's client loses its connection");
            org.junit.jupiter.api.Assertions.assertThrows(SpreadException.class, () -> connect(seg, "d1", "a2"),
                    "a crashed daemon refuses connections");
            b.multicast(ServiceType.AGREED, "g", (short) 0, "still".getBytes());
            assertEquals("still", new String(assertInstanceOf(DataMessage.class, next(c)).data()));
            seg.merge(); // the crashed daemon stays down: nothing changes for b and c
            assertEquals("still", new String(assertInstanceOf(DataMessage.class, next(b)).data()));
            assertNull(b.receive(Duration.ofMillis(100)), "no membership change at a merge without the crashed one");
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> seg.crash("d1"));
        }
    }

    @Test
    void aJoinInOneComponentIsSeenOnlyThere() throws Exception {
        try (EmbeddedSpreadSegment seg = EmbeddedSpreadSegment.start("d1", "d2");
             SpreadConnection a = connect(seg, "d1", "a"); SpreadConnection b = connect(seg, "d2", "b")) {
            a.join("g", WAIT);
            skipJoins(a, 1);
            seg.partition(Set.of("d1"), Set.of("d2"));
            b.join("g", WAIT);
            MembershipMessage jb = membership(b, MembershipReason.JOIN);
            assertEquals(List.of("#b#d2"), jb.members(), "b's side has only b");
            // g had members on d1 only: its view did not change at the partition, and b's join is on the other side
            assertNull(a.receive(Duration.ofMillis(100)), "a sees neither a network change nor b's join");
            seg.merge();
            membership(a, MembershipReason.TRANSITIONAL);
            assertEquals(List.of("#a#d1", "#b#d2"), membership(a, MembershipReason.NETWORK).members());
        }
    }
}
