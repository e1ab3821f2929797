package org.spreadjms.jms.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.MembershipMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.membership.MembershipReason;

/** The test fixture keeps the promises its Javadoc makes (one order, views at one point of it, faults). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FakeSpreadTest {
    private final FakeSpread bus = new FakeSpread();

    /** Records what a member receives, as short strings. */
    private static class Recorder implements ProviderListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onMessage(DataMessage m) {
            events.add("msg " + new String(m.data()) + " from " + m.sender());
        }

        @Override
        public void onMembership(MembershipMessage m) {
            events.add(m.reason() + " " + m.group() + " " + m.members() + (m.isRegular() ? " #" + m.messType() : ""));
        }

        @Override
        public void onConnectionLost(JMSException cause) {
            events.add("lost");
        }
    }

    private FakeProvider started(String name, Recorder r) throws JMSException {
        FakeProvider p = bus.provider(name);
        p.start(r);
        return p;
    }

    private static void send(FakeProvider p, String group, String text) throws JMSException {
        p.send(List.of(group), ServiceType.AGREED, (short) 1, text.getBytes());
    }

    @Test
    void everyMemberSeesMessagesAndViewsInOneOrder() throws Exception {
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        FakeProvider a = started("a", ra);
        FakeProvider b = started("b", rb);
        a.join("g");
        send(a, "g", "1");
        b.join("g");
        send(b, "g", "2");
        send(a, "g", "3");
        b.leave("g");
        send(a, "g", "4");
        assertEquals(11, bus.deliverAll());
        assertEquals(List.of("JOIN g [#a#fake] #0", "msg 1 from #a#fake", "JOIN g [#a#fake, #b#fake] #0",
                "msg 2 from #b#fake", "msg 3 from #a#fake", "LEAVE g [#a#fake] #0", "msg 4 from #a#fake"), ra.events);
        assertEquals(List.of("JOIN g [#a#fake, #b#fake] #1", "msg 2 from #b#fake", "msg 3 from #a#fake",
                "SELF_LEAVE g []"), rb.events);
    }

    @Test
    void viewsCarryGrowingIdsAndTheChangedMember() throws Exception {
        List<MembershipMessage> views = new CopyOnWriteArrayList<>();
        FakeProvider a = bus.provider("a");
        a.start(new Recorder() {
            @Override
            public void onMembership(MembershipMessage m) {
                views.add(m);
            }
        });
        FakeProvider b = started("b", new Recorder());
        a.join("g");
        b.join("g");
        bus.crash(b.privateGroup());
        bus.deliverAll();
        assertEquals(List.of(1, 2, 3), views.stream().map(v -> v.groupId().index()).toList());
        assertEquals(List.of(MembershipReason.JOIN, MembershipReason.JOIN, MembershipReason.DISCONNECT),
                views.stream().map(MembershipMessage::reason).toList());
        assertEquals(List.of("#b#fake"), views.get(2).changedMembers());
        assertEquals(List.of("#a#fake"), views.get(2).view().members());
    }

    @Test
    void privateGroupsAndNonMembersReachTheRightRecipients() throws Exception {
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        FakeProvider a = started("a", ra);
        FakeProvider b = started("b", rb);
        a.join("g");
        send(b, "g", "open group"); // b is not a member: groups are open
        b.send(List.of("g", a.privateGroup(), b.privateGroup()), ServiceType.FIFO, (short) 2, "both".getBytes());
        bus.deliverAll();
        assertEquals(List.of("JOIN g [#a#fake] #0", "msg open group from #b#fake", "msg both from #b#fake"),
                ra.events, "one copy per recipient, however many of its groups a message names");
        assertEquals(List.of("msg both from #b#fake"), rb.events);
    }

    @Test
    void crashedMemberReceivesNothingMoreAndItsSendsFail() throws Exception {
        Recorder ra = new Recorder();
        FakeProvider a = started("a", ra);
        FakeProvider b = started("b", new Recorder());
        a.join("g");
        b.join("g");
        send(b, "g", "queued before the crash");
        bus.crash(a.privateGroup());
        bus.deliverAll();
        assertTrue(ra.events.isEmpty(), ra.events.toString());
        assertThrows(JMSException.class, () -> send(a, "g", "too late"));
        assertEquals(List.of("#b#fake"), bus.members("g"));
    }

    @Test
    void injectedSendFailuresAreCountedAndThenSendsGoThrough() throws Exception {
        FakeProvider a = started("a", new Recorder());
        bus.failSends(a.privateGroup(), 2);
        assertThrows(JMSException.class, () -> send(a, "g", "1"));
        assertThrows(JMSException.class, () -> send(a, "g", "2"));
        send(a, "g", "3");
        assertEquals(3, bus.attempts(a.privateGroup()));
        assertEquals(1, bus.sent().size());
    }

    @Test
    void heldJoinTakesItsPlaceInTheOrderOnlyWhenReleased() throws Exception {
        FakeProvider a = started("a", new Recorder());
        FakeProvider b = started("b", new Recorder());
        FakeSpread.Gate gate = bus.holdJoin(a.privateGroup(), "g");
        Thread joiner = new Thread(() -> {
            try {
                a.join("g");
            } catch (JMSException e) {
                throw new AssertionError(e);
            }
        });
        joiner.start();
        gate.awaitArrival(java.time.Duration.ofSeconds(5));
        b.join("g");
        gate.release();
        joiner.join(5_000);
        assertEquals(List.of("#b#fake", "#a#fake"), bus.changes().stream().map(FakeSpread.Change::member).toList());
        assertEquals(List.of("#a#fake", "#b#fake"), bus.members("g"), "members sorted byte-wise");
    }

    @Test
    void illegalGroupNamesAreRefused() throws Exception {
        FakeProvider a = started("a", new Recorder());
        assertThrows(InvalidDestinationException.class, () -> a.join("x".repeat(32)));
        assertThrows(InvalidDestinationException.class, () -> send(a, "", "x"));
    }
}
