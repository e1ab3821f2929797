package org.spreadjms.jms.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.jms.JMSException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.MembershipMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.membership.GroupView;
import org.spreadjms.client.membership.MembershipReason;
import org.spreadjms.jms.destination.SpreadQueue;
import org.spreadjms.jms.message.MessageEnvelope;
import org.spreadjms.jms.message.SpreadMessage;
import org.spreadjms.jms.message.SpreadTextMessage;
import org.spreadjms.jms.provider.FakeProvider;
import org.spreadjms.jms.provider.FakeSpread;
import org.spreadjms.jms.provider.ProviderListener;
import org.spreadjms.jms.routing.ConsumerRegistration;

/**
 * The competing-consumer protocol (docs/queue-protocol.md) of two or three connections on a {@link FakeSpread} bus:
 * every member runs the real routing and queue protocol; the bus gives them one order of messages and views.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class QueueProtocolTest {
    private static final String QUEUE = "orders";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final FakeSpread bus = new FakeSpread();
    private final List<QueueMember> members = new ArrayList<>();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final String group = QueueAssignment.groupOf(queue());
    private FakeProvider producer;
    private int nextId;

    private static SpreadQueue queue() {
        try {
            return new SpreadQueue(QUEUE);
        } catch (JMSException e) {
            throw new AssertionError(e);
        }
    }

    @BeforeEach
    void startProducer() throws JMSException {
        producer = bus.provider("producer");
        producer.startIgnoringEvents();
    }

    @AfterEach
    void closeAll() {
        members.forEach(QueueMember::close);
        producer.close();
        callers.shutdownNow();
    }

    private QueueMember member(String name) throws JMSException {
        QueueMember m = new QueueMember(bus, name);
        members.add(m);
        return m;
    }

    // ---- producing

    private static SpreadTextMessage message(String id, String color) throws JMSException {
        SpreadTextMessage m = new SpreadTextMessage("body of " + id);
        m.setJMSDestination(queue());
        m.setJMSMessageID(id);
        if (color != null) {
            m.setStringProperty("color", color);
        }
        return m;
    }

    private void send(String id) throws JMSException {
        send(id, null);
    }

    private void send(String id, String color) throws JMSException {
        producer.send(List.of(group), ServiceType.FIFO, MessageEnvelope.MESS_TYPE,
                MessageEnvelope.encode(message(id, color), null));
    }

    /** A fresh message id that the group's current view assigns to {@code member}. */
    private String idAssignedTo(QueueMember member) throws JMSException {
        GroupView view = new GroupView(group, null, bus.members(group));
        assertTrue(view.contains(member.name()), member.name() + " is not in " + view);
        while (true) {
            String id = "ID:test:" + (++nextId);
            if (QueueAssignment.assignee(view, message(id, null)).equals(member.name())) {
                return id;
            }
        }
    }

    private String assigneeNow(String id) throws JMSException {
        return QueueAssignment.assignee(new GroupView(group, null, bus.members(group)), message(id, null));
    }

    // ---- control messages on the bus

    private static QueueControl control(FakeSpread.Sent s) {
        return s.messType() == QueueControlCodec.MESS_TYPE ? QueueControlCodec.decode(s.payload()) : null;
    }

    private FakeSpread.Sent awaitControl(QueueMember from, QueueControl.Kind kind, String id) {
        return bus.awaitSent(s -> {
            QueueControl c = s.sender().equals(from.name()) ? control(s) : null;
            return c != null && c.kind() == kind && c.member().equals(from.name())
                    && (id == null || c.ids().contains(id));
        }, WAIT);
    }

    private long controls(QueueMember from, QueueControl.Kind kind) {
        return bus.sent().stream().filter(s -> s.sender().equals(from.name()))
                .map(QueueProtocolTest::control).filter(c -> c != null && c.kind() == kind).count();
    }

    private FakeSpread.Change change(MembershipReason reason, QueueMember m) {
        return bus.changes().stream().filter(c -> c.reason() == reason && c.member().equals(m.name())
                && c.group().equals(group)).findFirst().orElseThrow(() -> new AssertionError("no " + reason
                + " of " + m.name() + " in " + bus.changes()));
    }

    /** Runs the queueNoConsumerPolicy=fail check of {@code m}, delivering events meanwhile (it waits for a view). */
    private void requireConsumer(QueueMember m) throws Exception {
        Future<?> f = callers.submit(() -> {
            m.routing.requireQueueConsumer(queue());
            return null;
        });
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            bus.deliverAll();
            try {
                f.get(20, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    fail("requireQueueConsumer did not return within " + WAIT);
                }
            } catch (ExecutionException e) {
                throw (Exception) e.getCause();
            }
        }
    }

    private static List<QueueMember.Taken> takenOf(String id, QueueMember... ms) {
        List<QueueMember.Taken> out = new ArrayList<>();
        for (QueueMember m : ms) {
            m.taken.stream().filter(t -> t.message().getJMSMessageID().equals(id)).forEach(out::add);
        }
        return out;
    }

    // ---- stable views

    @Test
    void eachMessageIsDeliveredExactlyOnceByItsAssigneeWhileTheViewIsStable() throws Exception {
        QueueMember a = member("a");
        QueueMember b = member("b");
        QueueMember c = member("c");
        for (QueueMember m : List.of(a, b, c)) {
            m.consume(QUEUE, null);
        }
        bus.deliverAll();
        Map<String, String> assignee = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            String id = "ID:stable:" + i;
            assignee.put(id, assigneeNow(id));
            send(id);
        }
        bus.deliverAll();
        int total = 0;
        for (QueueMember m : List.of(a, b, c)) {
            assertFalse(m.taken.isEmpty(), m.name() + " took none of 60");
            for (QueueMember.Taken t : m.taken) {
                assertEquals(assignee.get(t.message().getJMSMessageID()), m.name());
                assertFalse(t.message().getJMSRedelivered());
            }
            total += m.taken.size();
        }
        assertEquals(60, total, "each of 60 messages exactly once");
    }

    // ---- view changes

    @Test
    void assigneeCrashingBeforeItsAckIsReplacedByExactlyOneSurvivorMarkedRedelivered() throws Exception {
        QueueMember a = member("a");
        QueueMember b = member("b");
        QueueMember c = member("c");
        ConsumerRegistration rb = b.consume(QUEUE, null);
        ConsumerRegistration rc = c.consume(QUEUE, null);
        a.consume(QUEUE, null);
        bus.deliverAll();
        List<String> ofA = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String id = "ID:crash:" + i;
            if (assigneeNow(id).equals(a.name())) {
                ofA.add(id);
            }
            send(id);
        }
        bus.deliverAll();
        assertEquals(ofA, a.takenIds());
        assertFalse(ofA.isEmpty());
        // b and c consume theirs; a consumed its share too, but crashes before its ACKs go out
        b.taken.forEach(t -> b.ack(rb, t.message()));
        c.taken.forEach(t -> c.ack(rc, t.message()));
        awaitControl(b, QueueControl.Kind.ACK, b.takenIds().get(b.takenIds().size() - 1));
        awaitControl(c, QueueControl.Kind.ACK, c.takenIds().get(c.takenIds().size() - 1));
        int before = b.taken.size() + c.taken.size();
        bus.crash(a.name());
        bus.deliverAll();
        assertEquals(before + ofA.size(), b.taken.size() + c.taken.size(), "only a's messages come again");
        for (String id : ofA) {
            List<QueueMember.Taken> again = takenOf(id, b, c);
            assertEquals(1, again.size(), id + " redelivered by exactly one survivor");
            assertTrue(again.get(0).message().getJMSRedelivered());
            assertEquals(2, again.get(0).message().getDeliveryCount());
        }
    }

    @Test
    void messagesOnBothSidesOfAViewChangeAreEachDeliveredOnce() throws Exception {
        QueueMember a = member("a");
        QueueMember b = member("b");
        QueueMember c = member("c");
        for (QueueMember m : List.of(a, b, c)) {
            m.consume(QUEUE, null);
        }
        bus.deliverAll();
        List<String> ofA = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "ID:before:" + i;
            if (assigneeNow(id).equals(a.name())) {
                ofA.add(id);
            }
            send(id);
        }
        bus.crash(a.name()); // mid-stream: a never delivers its share, the others hold it
        for (int i = 0; i < 20; i++) {
            send("ID:after:" + i);
        }
        bus.deliverAll();
        assertFalse(ofA.isEmpty());
        assertTrue(a.taken.isEmpty());
        for (int i = 0; i < 20; i++) {
            for (String id : List.of("ID:before:" + i, "ID:after:" + i)) {
                List<QueueMember.Taken> t = takenOf(id, b, c);
                assertEquals(1, t.size(), id + " exactly once");
                assertEquals(ofA.contains(id), t.get(0).message().getJMSRedelivered(), id);
            }
        }
        assertEquals(40, b.taken.size() + c.taken.size());
    }

    @Test
    void redeliveryCountGrowsAcrossTwoConsecutiveCrashes() throws Exception {
        QueueMember a = member("a");
        QueueMember b = member("b");
        QueueMember c = member("c");
        for (QueueMember m : List.of(a, b, c)) {
            m.consume(QUEUE, null);
        }
        bus.deliverAll();
        String id = idAssignedTo(a);
        send(id);
        bus.deliverAll();
        assertEquals(List.of(id), a.takenIds());
        bus.crash(a.name());
        bus.deliverAll();
        List<QueueMember.Taken> second = takenOf(id, b, c);
        assertEquals(1, second.size());
        assertEquals(2, second.get(0).message().getDeliveryCount());
        QueueMember x = b.takenIds().contains(id) ? b : c;
        QueueMember y = x == b ? c : b;
        bus.crash(x.name());
        bus.deliverAll();
        assertEquals(List.of(id), y.takenIds());
        SpreadMessage third = y.taken.get(0).message();
        assertTrue(third.getJMSRedelivered());
        assertEquals(3, third.getDeliveryCount(), "the third delivery counts 3");
    }

    @Test
    void messageDeclinedAfterARedeliveryStaysMarkedRedelivered() throws Exception {
        QueueMember a = member("a");
        QueueMember b = member("b");
        QueueMember c = member("c");
        a.consume(QUEUE, null);
        b.consume(QUEUE, "color = 'red'");
        c.consume(QUEUE, null);
        bus.deliverAll();
        // a takes it first; after a's crash b is its assignee, and b's consumer does not want it
        GroupView afterCrash = new GroupView(group, null, List.of(b.name(), c.name()));
        String id;
        do {
            id = idAssignedTo(a);
        } while (!QueueAssignment.assignee(afterCrash, message(id, null)).equals(b.name()));
        send(id, "blue");
        bus.deliverAll();
        assertEquals(List.of(id), a.takenIds());
        bus.crash(a.name());
        bus.deliverAll();
        awaitControl(b, QueueControl.Kind.DECLINE, id);
        bus.deliverAll();
        assertEquals(List.of(id), c.takenIds());
        assertTrue(c.taken.get(0).message().getJMSRedelivered(), "a consumed it before its crash");
        assertEquals(2, c.taken.get(0).message().getDeliveryCount());
    }

    // ---- DECLINE

    @Test
    void messageTheAssigneesSelectorRefusesIsDeclinedAndTakenByAnotherMember() throws Exception {
        QueueMember a = member("a");
        QueueMember b = member("b");
        a.consume(QUEUE, "color = 'red'");
        b.consume(QUEUE, null);
        bus.deliverAll();
        String blue = idAssignedTo(a);
        send(blue, "blue");
        String red = idAssignedTo(a);
        send(red, "red");
        bus.deliverAll();
        assertEquals(List.of(red), a.takenIds());
        awaitControl(a, QueueControl.Kind.DECLINE, blue);
        bus.deliverAll();
        assertEquals(List.of(blue), b.takenIds());
        assertFalse(b.taken.get(0).message().getJMSRedelivered(), "nobody consumed it before");
        assertEquals(1, controls(a, QueueControl.Kind.DECLINE));
    }

    @Test
    void aMessageItsLastCandidateCannotTakeIsParkedThereForItsNextConsumer() throws Exception {
        QueueMember a = member("a");
        QueueMember b = member("b");
        a.consume(QUEUE, "color = 'red'");
        b.consume(QUEUE, "color = 'red'");
        bus.deliverAll();
        String id = idAssignedTo(a);
        send(id, "blue");
        bus.deliverAll();
        awaitControl(a, QueueControl.Kind.DECLINE, id);
        bus.deliverAll();
        // b is the last candidate: a DECLINE would drop the message, so b parks it instead
        assertTrue(a.taken.isEmpty());
        assertTrue(b.taken.isEmpty());
        b.consume(QUEUE, null); // a consumer that takes it
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (b.taken.isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(1, b.taken.size(), "the parked message goes to b's next consumer");
        assertEquals(id, b.taken.get(0).message().getJMSMessageID());
        assertTrue(b.taken.get(0).message().getJMSRedelivered(), "parked messages come back marked redelivered");
        assertTrue(a.taken.isEmpty());
    }

    // ---- ACK racing a LEAVE

    @Test
    void ackOrderedBeforeTheAssigneesLeaveIsNotRedelivered() throws Exception {
        QueueMember a = member("a");
        QueueMember b = member("b");
        ConsumerRegistration ra = a.consume(QUEUE, null);
        b.consume(QUEUE, null);
        bus.deliverAll();
        String id = idAssignedTo(a);
        send(id);
        bus.deliverAll();
        a.ack(ra, a.taken.get(0).message());
        FakeSpread.Sent ack = awaitControl(a, QueueControl.Kind.ACK, id);
        a.provider.leave(group);
        assertTrue(ack.position() < change(MembershipReason.LEAVE, a).position());
        bus.deliverAll();
        assertTrue(b.taken.isEmpty(), "b redelivered an acknowledged message: " + b.takenIds());
    }

    @Test
    void ackOrderedAfterTheAssigneesLeaveComesTooLateAndTheMessageIsRedelivered() throws Exception {
        QueueMember a = member("a");
        QueueMember b = member("b");
        ConsumerRegistration ra = a.consume(QUEUE, null);
        b.consume(QUEUE, null);
        bus.deliverAll();
        String id = idAssignedTo(a);
        send(id);
        bus.deliverAll();
        a.provider.leave(group);
        a.ack(ra, a.taken.get(0).message()); // the group is open: the ACK still goes out, after the LEAVE
        FakeSpread.Sent ack = awaitControl(a, QueueControl.Kind.ACK, id);
        assertTrue(ack.position() > change(MembershipReason.LEAVE, a).position());
        bus.deliverAll();
        assertEquals(List.of(id), b.takenIds());
        assertTrue(b.taken.get(0).message().getJMSRedelivered());
        assertEquals(2, b.taken.get(0).message().getDeliveryCount());
    }

    @Test
    void closingTheLastConsumerSendsItsAcksBeforeItsLeave() throws Exception {
        QueueMember a = member("a");
        QueueMember b = member("b");
        ConsumerRegistration ra = a.consume(QUEUE, null);
        b.consume(QUEUE, null);
        bus.deliverAll();
        String id = idAssignedTo(a);
        send(id);
        bus.deliverAll();
        a.ack(ra, a.taken.get(0).message());
        a.routing.removeConsumer(ra, List.of()); // must flush the ACK before leaving
        FakeSpread.Sent ack = awaitControl(a, QueueControl.Kind.ACK, id);
        assertTrue(ack.position() < change(MembershipReason.LEAVE, a).position(), bus.sent() + " " + bus.changes());
        bus.deliverAll();
        assertTrue(b.taken.isEmpty());
    }

    @Test
    void bufferedMessagesOfAClosedConsumerGoToAnotherLocalConsumerWithoutLeaving() throws Exception {
        QueueMember a = member("a");
        QueueMember b = member("b");
        ConsumerRegistration first = a.consume(QUEUE, null);
        ConsumerRegistration second = a.consume(QUEUE, null);
        b.consume(QUEUE, null);
        bus.deliverAll();
        String id = idAssignedTo(a);
        send(id);
        bus.deliverAll();
        QueueMember.Taken t = a.taken.get(0);
        ConsumerRegistration holder = t.consumer() == first.id() ? first : second;
        ConsumerRegistration other = holder == first ? second : first;
        a.routing.removeConsumer(holder, List.of(t.message()));
        assertEquals(2, a.taken.size());
        assertEquals(other.id(), a.taken.get(1).consumer());
        bus.deliverAll();
        assertTrue(bus.members(group).contains(a.name()), "a still has a consumer: it stays in the group");
        assertEquals(0, controls(a, QueueControl.Kind.DECLINE));
        assertTrue(b.taken.isEmpty());
    }

    // ---- observers (queueNoConsumerPolicy=fail)

    @Test
    void observerDeclinesWhatItIsAssignedAndAConsumerTakesIt() throws Exception {
        QueueMember a = member("a");
        QueueMember o = member("o");
        a.consume(QUEUE, null);
        bus.deliverAll();
        requireConsumer(o);
        awaitControl(o, QueueControl.Kind.OBSERVER, null);
        bus.deliverAll();
        String id = idAssignedTo(o);
        send(id);
        bus.deliverAll();
        awaitControl(o, QueueControl.Kind.DECLINE, id);
        bus.deliverAll();
        assertTrue(o.taken.isEmpty());
        assertEquals(List.of(id), a.takenIds());
        assertFalse(a.taken.get(0).message().getJMSRedelivered());
    }

    @Test
    void hasConsumersIsFalseWhileOnlyObserversAreInTheView() throws Exception {
        QueueMember o = member("o");
        JMSException alone = assertThrows(JMSException.class, () -> requireConsumer(o));
        assertTrue(alone.getMessage().contains("has no consumer"), alone.getMessage());
        QueueMember a = member("a");
        ConsumerRegistration ra = a.consume(QUEUE, null);
        bus.deliverAll();
        requireConsumer(o); // a consumes now
        a.routing.removeConsumer(ra, List.of());
        bus.deliverAll();
        assertFalse(bus.members(group).contains(a.name()));
        assertThrows(JMSException.class, () -> requireConsumer(o));
    }

    @Test
    void aLateObserverLearnsOfEarlierObserversFromTheirRepeatedAnnouncement() throws Exception {
        QueueMember o = member("o");
        assertThrows(JMSException.class, () -> requireConsumer(o));
        awaitControl(o, QueueControl.Kind.OBSERVER, null);
        QueueMember late = member("late");
        try {
            requireConsumer(late); // its first view may come before o's repeated announcement
        } catch (JMSException expected) {
            // also fine: o's announcement already arrived
        }
        bus.await(() -> controls(o, QueueControl.Kind.OBSERVER) == 2, "o's repeated OBSERVER", WAIT);
        bus.deliverAll();
        JMSException e = assertThrows(JMSException.class, () -> requireConsumer(late));
        assertTrue(e.getMessage().contains("has no consumer"), e.getMessage());
    }

    @Test
    void observerThatGetsAConsumerAnnouncesItAndTakesItsMessages() throws Exception {
        QueueMember o = member("o");
        assertThrows(JMSException.class, () -> requireConsumer(o));
        QueueMember a = member("a");
        a.consume(QUEUE, null);
        o.consume(QUEUE, null);
        awaitControl(o, QueueControl.Kind.CONSUMER, null);
        bus.deliverAll();
        String id = idAssignedTo(o);
        send(id);
        bus.deliverAll();
        assertEquals(List.of(id), o.takenIds());
        assertEquals(0, controls(o, QueueControl.Kind.DECLINE));
        requireConsumer(a); // a sees o as a consumer again (and a itself consumes)
    }

    // ---- failed control sends

    @Test
    void failedAckSendIsRetriedUntilItGoesOut() throws Exception {
        QueueMember a = member("a");
        QueueMember b = member("b");
        ConsumerRegistration ra = a.consume(QUEUE, null);
        b.consume(QUEUE, null);
        bus.deliverAll();
        String id = idAssignedTo(a);
        send(id);
        bus.deliverAll();
        bus.failSends(a.name(), 3);
        a.ack(ra, a.taken.get(0).message());
        awaitControl(a, QueueControl.Kind.ACK, id);
        assertEquals(4, bus.attempts(a.name()), "3 failed attempts, then the one that went out");
        bus.deliverAll();
        bus.crash(a.name());
        bus.deliverAll();
        assertTrue(b.taken.isEmpty(), "the retried ACK reached b");
    }

    @Test
    void failedDeclineSendIsRetriedUntilItGoesOut() throws Exception {
        QueueMember a = member("a");
        QueueMember b = member("b");
        a.consume(QUEUE, "color = 'red'");
        b.consume(QUEUE, null);
        bus.deliverAll();
        bus.failSends(a.name(), 2);
        String id = idAssignedTo(a);
        send(id, "blue");
        bus.deliverAll();
        awaitControl(a, QueueControl.Kind.DECLINE, id);
        assertEquals(3, bus.attempts(a.name()));
        bus.deliverAll();
        assertEquals(List.of(id), b.takenIds());
    }

    @Test
    void malformedControlMessageIsIgnoredAndTheProtocolGoesOn() throws Exception {
        QueueMember a = member("a");
        QueueMember b = member("b");
        ConsumerRegistration ra = a.consume(QUEUE, null);
        b.consume(QUEUE, null);
        bus.deliverAll();
        producer.send(List.of(group), ServiceType.AGREED, QueueControlCodec.MESS_TYPE, new byte[] {'Q', 1, 1, 0});
        producer.send(List.of(group), ServiceType.AGREED, QueueControlCodec.MESS_TYPE, new byte[] {'X'});
        String id = idAssignedTo(a);
        send(id);
        bus.deliverAll();
        a.ack(ra, a.taken.get(0).message());
        awaitControl(a, QueueControl.Kind.ACK, id);
        bus.deliverAll();
        bus.crash(a.name());
        bus.deliverAll();
        assertTrue(b.taken.isEmpty());
    }

    // ---- store members (docs/store-protocol.md)

    private FakeProvider storeMember(String name) throws JMSException {
        FakeProvider store = bus.provider(name);
        store.start(new ProviderListener() {
            @Override
            public void onMessage(DataMessage message) {
            }

            @Override
            public void onMembership(MembershipMessage message) {
            }

            @Override
            public void onConnectionLost(JMSException cause) {
            }
        });
        store.join(group);
        return store;
    }

    @Test
    void storeMembersInTheQueueGroupAreNeverAssignedAMessage() throws Exception {
        QueueMember a = member("a");
        QueueMember b = member("b");
        a.consume(QUEUE, null);
        b.consume(QUEUE, null);
        FakeProvider store = storeMember("$stq1");
        bus.deliverAll();
        assertTrue(bus.members(group).contains(store.privateGroup()), bus.members(group).toString());
        int wouldBeStores = 0;
        for (int i = 0; i < 90; i++) {
            String id = "ID:store:" + i;
            if (assigneeNow(id).equals(store.privateGroup())) {
                wouldBeStores++; // what the plain view would assign to the store member
            }
            send(id);
        }
        bus.deliverAll();
        assertTrue(wouldBeStores > 0, "the test needs messages the full view assigns to the store member");
        List<String> all = new ArrayList<>(a.takenIds());
        all.addAll(b.takenIds());
        assertEquals(90, all.size(), "every message taken once by a JMS member: " + all);
        assertEquals(90, new java.util.HashSet<>(all).size());
        assertEquals(0, controls(a, QueueControl.Kind.DECLINE) + controls(b, QueueControl.Kind.DECLINE));
        store.close();
    }

    @Test
    void theLastJmsMemberParksRatherThanPassingToAStoreMember() throws Exception {
        QueueMember a = member("a");
        ConsumerRegistration r = a.consume(QUEUE, null);
        FakeProvider store = storeMember("$stq2");
        bus.deliverAll();
        send("ID:park:1");
        bus.deliverAll();
        assertEquals(List.of("ID:park:1"), a.takenIds());
        // a gives it back: with the store member left out, a is its last candidate, so it parks it (a RELEASE
        // would leave the message to nobody, as the store member never takes it)
        a.routing.released(r, a.taken.get(0).message());
        bus.deliverAll();
        assertEquals(0, controls(a, QueueControl.Kind.RELEASE));
        a.consume(QUEUE, null);
        bus.deliverAll();
        assertEquals(List.of("ID:park:1", "ID:park:1"), a.takenIds(), "parked, then given to a's next consumer");
        assertTrue(a.taken.get(1).message().getJMSRedelivered());
        store.close();
    }

    @Test
    void aSecondCopyOfAHeldOrAcknowledgedMessageIsIgnored() throws Exception {
        QueueMember a = member("a");
        ConsumerRegistration r = a.consume(QUEUE, null);
        FakeProvider store = storeMember("$stq3");
        bus.deliverAll();
        send("ID:copy:1");
        bus.deliverAll();
        // a store member re-publishes it while a holds it
        store.send(List.of(group), ServiceType.SAFE, MessageEnvelope.MESS_TYPE,
                MessageEnvelope.encode(message("ID:copy:1", null), null));
        bus.deliverAll();
        assertEquals(List.of("ID:copy:1"), a.takenIds(), "a copy of a held message is not delivered again");
        a.ack(r, a.taken.get(0).message());
        awaitControl(a, QueueControl.Kind.ACK, "ID:copy:1");
        bus.deliverAll();
        store.send(List.of(group), ServiceType.SAFE, MessageEnvelope.MESS_TYPE,
                MessageEnvelope.encode(message("ID:copy:1", null), null));
        send("ID:copy:2");
        bus.deliverAll();
        assertEquals(List.of("ID:copy:1", "ID:copy:2"), a.takenIds(),
                "a copy of an acknowledged message is ignored; a new message is not");
        store.close();
    }

    private void republish(FakeProvider store, String id) throws JMSException {
        store.send(List.of(group), ServiceType.SAFE, MessageEnvelope.MESS_TYPE,
                MessageEnvelope.encode(message(id, null), null));
    }

    /** Delivers what comes until {@code done}. */
    private void deliverUntil(java.util.function.BooleanSupplier done, String what) {
        while (true) {
            bus.deliverAll();
            if (done.getAsBoolean()) {
                return;
            }
            bus.await(() -> bus.queued() > 0 || done.getAsBoolean(), what, WAIT);
        }
    }

    /** Waits until {@code from} sent a HOLDS or LACKS answer naming {@code id}, then delivers everything. */
    private void awaitAnswer(QueueMember from, String id) {
        bus.await(() -> bus.sent().stream().anyMatch(s -> {
            QueueControl c = s.sender().equals(from.name()) ? control(s) : null;
            return c != null && c.kind().answersCopies() && c.ids().contains(id);
        }), from.name() + "'s answer on " + id, WAIT);
        bus.deliverAll();
    }

    @Test
    void aCopyRepublishedWhileSeveralMembersRunIsTakenOnceAndOnlyIfNoMemberHoldsIt() throws Exception {
        QueueMember a = member("a");
        a.consume(QUEUE, null);
        FakeProvider store = storeMember("$stq4");
        bus.deliverAll();
        send("ID:held:1"); // a is the only candidate: a holds it
        bus.deliverAll();
        assertEquals(List.of("ID:held:1"), a.takenIds());
        QueueMember b = member("b"); // joins after ID:held:1: it cannot know that a holds it
        QueueMember c = member("c");
        b.consume(QUEUE, null);
        c.consume(QUEUE, null);
        bus.deliverAll();
        // the store member re-publishes a message a holds and one nobody holds (stored while a store member was down)
        List<String> lost = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            lost.add("ID:lost:" + i);
        }
        republish(store, "ID:held:1");
        for (String id : lost) {
            republish(store, id);
        }
        bus.deliverAll();
        for (QueueMember m : List.of(a, b, c)) {
            awaitAnswer(m, "ID:held:1");
            awaitAnswer(m, lost.get(lost.size() - 1));
        }
        bus.deliverAll();
        assertEquals(1, takenOf("ID:held:1", a, b, c).size(), "the copy of a held message is not taken again");
        for (String id : lost) {
            assertEquals(1, takenOf(id, a, b, c).size(), id + " taken exactly once");
        }
        assertTrue(controls(a, QueueControl.Kind.HOLDS) >= 1, "a says it holds ID:held:1");
        store.close();
    }

    @Test
    void aCopyWhoseCandidatesLeaveBeforeAnsweringGoesToTheOnesLeft() throws Exception {
        QueueMember a = member("a");
        QueueMember b = member("b");
        a.consume(QUEUE, null);
        b.consume(QUEUE, null);
        FakeProvider store = storeMember("$stq5");
        bus.deliverAll();
        bus.failSends(b.name(), 1_000); // b's answer never goes out
        republish(store, "ID:gone:1");
        bus.deliverAll();
        awaitAnswer(a, "ID:gone:1");
        assertTrue(a.taken.isEmpty() && b.taken.isEmpty(), "waits for b's answer");
        bus.crash(b.name());
        bus.deliverAll();
        assertEquals(List.of("ID:gone:1"), a.takenIds(), "b left without answering: a, the candidate left, takes it");
        store.close();
    }

    @Test
    void aSecondCopyWhileTheFirstIsDecidedIsAnsweredWithItsOutcomeSoAMemberThatJoinedBetweenDoesNotTakeItAgain()
            throws Exception {
        QueueMember a = member("a");
        QueueMember b = member("b");
        a.consume(QUEUE, null);
        b.consume(QUEUE, null);
        FakeProvider store = storeMember("$stq6");
        bus.deliverAll();
        // an id that c, once it is there, would be the assignee of: if c took the second copy, it would deliver it
        String id = null;
        for (int i = 0; id == null; i++) {
            String candidate = "ID:twice:" + i;
            List<String> abc = new ArrayList<>(List.of(a.name(), b.name(), "#c#fake"));
            abc.sort(null);
            if (QueueAssignment.assignee(new GroupView(group, null, abc), message(candidate, null))
                    .equals("#c#fake")) {
                id = candidate;
            }
        }
        bus.failSends(b.name(), 1); // b's first answer goes out only on its retry, 50 ms later
        republish(store, id);
        bus.deliverAll();
        QueueMember c = member("c"); // joins while the first copy waits for b's answer
        assertEquals("#c#fake", c.name());
        c.consume(QUEUE, null);
        republish(store, id); // a second pass offers it again
        bus.deliverAll();
        assertTrue(takenOf(id, a, b, c).isEmpty(), "the first copy still waits for b's answer");
        String twice = id;
        for (QueueMember m : List.of(a, b, c)) {
            // b answers the second copy once the first is decided, which needs its first answer delivered
            deliverUntil(() -> bus.sent().stream().filter(s -> {
                QueueControl q = s.sender().equals(m.name()) ? control(s) : null;
                return q != null && q.kind().answersCopies() && q.ids().contains(twice);
            }).count() == (m == c ? 1 : 2), m.name() + "'s answers");
        }
        bus.deliverAll();
        assertEquals(1, takenOf(id, a, b, c).size(), "taken once: by a or b on the first copy, not by c on the second");
        assertTrue(c.taken.isEmpty());
        store.close();
    }

    /**
     * A store member re-publishes a message whose ACK it missed (it was on the other side of a partition): the
     * member the copy would be assigned to acknowledges it again, once, so that the store deletes it; the others
     * only ignore it, and nobody delivers it.
     */
    @Test
    void aCopyOfAnAcknowledgedMessageIsAcknowledgedAgainByItsAssigneeOnly() throws Exception {
        QueueMember a = member("a");
        QueueMember b = member("b");
        ConsumerRegistration ra = a.consume(QUEUE, null);
        ConsumerRegistration rb = b.consume(QUEUE, null);
        FakeProvider store = storeMember("$stq4");
        bus.deliverAll();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add("ID:again:" + i);
            send(ids.get(i));
        }
        bus.deliverAll();
        assertFalse(a.taken.isEmpty() || b.taken.isEmpty(), "the test needs messages for both members");
        a.taken.forEach(t -> a.ack(ra, t.message()));
        b.taken.forEach(t -> b.ack(rb, t.message()));
        for (String id : ids) {
            awaitControl(a.takenIds().contains(id) ? a : b, QueueControl.Kind.ACK, id);
        }
        bus.deliverAll();
        long mark = bus.sent().stream().mapToLong(FakeSpread.Sent::position).max().orElse(0);
        for (String id : ids) {
            store.send(List.of(group), ServiceType.SAFE, MessageEnvelope.MESS_TYPE,
                    MessageEnvelope.encode(message(id, null), null));
        }
        bus.deliverAll();
        for (String id : ids) {
            QueueMember assignee = a.takenIds().contains(id) ? a : b;
            bus.awaitSent(x -> x.position() > mark && x.sender().equals(assignee.name()) && control(x) != null
                    && control(x).kind() == QueueControl.Kind.ACK && control(x).ids().contains(id), WAIT);
        }
        bus.deliverAll();
        for (QueueMember m : List.of(a, b)) {
            List<String> again = bus.sent().stream().filter(x -> x.position() > mark && x.sender().equals(m.name()))
                    .map(QueueProtocolTest::control).filter(c -> c != null && c.kind() == QueueControl.Kind.ACK)
                    .flatMap(c -> c.ids().stream()).toList();
            assertEquals(m.takenIds(), again, m.name() + " acknowledges again exactly the copies assigned to it");
        }
        assertEquals(20, a.taken.size() + b.taken.size(), "no copy delivered: " + a.takenIds() + b.takenIds());
        store.close();
    }
}
