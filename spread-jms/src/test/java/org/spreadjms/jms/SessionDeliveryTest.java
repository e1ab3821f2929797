package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.membership.MembershipReason;
import org.spreadjms.jms.destination.SpreadQueue;
import org.spreadjms.jms.provider.FakeSpread;
import org.spreadjms.jms.queue.QueueAssignment;
import org.spreadjms.jms.queue.QueueControl;
import org.spreadjms.jms.queue.QueueControlCodec;

/**
 * Delivery inside a session (ack modes, recover, rollback, listeners that throw, concurrent close) through real
 * connections, sessions and consumers over the {@link FakeSpread} bus; a queue's ACKs are checked on the bus.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SessionDeliveryTest {
    private static final long ARRIVES_MS = 5_000;
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final FakeSpread bus = new FakeSpread();
    private final List<SpreadJmsConnection> connections = new ArrayList<>();
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void closeAll() throws JMSException {
        callers.shutdownNow();
        for (SpreadJmsConnection c : connections) {
            c.close();
        }
    }

    private SpreadJmsConnection connect(String options) throws JMSException {
        // the fake bus has no store member: the storeless mode (storeAcks=0)
        SpreadJmsConnection c = new SpreadJmsConnection(SpreadJmsSettings.fromUri(JmsTestSupport.storeless(
                "spread://127.0.0.1:4803" + (options.isEmpty() ? "" : "?" + options))), null, bus::provider);
        connections.add(c);
        c.start();
        return c;
    }

    private static String me(SpreadJmsConnection c) throws JMSException {
        return c.provider().privateGroup();
    }

    /** Sends texts to {@code queue} from a connection of their own and delivers everything on the bus. */
    private List<String> produce(String queue, String... texts) throws JMSException {
        SpreadJmsConnection p = connect("");
        Session s = p.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = s.createProducer(s.createQueue(queue));
        List<String> ids = new ArrayList<>();
        for (String t : texts) {
            TextMessage m = s.createTextMessage(t);
            producer.send(m);
            ids.add(m.getJMSMessageID());
        }
        bus.deliverAll();
        return ids;
    }

    private List<String> acked(SpreadJmsConnection c) throws JMSException {
        String me = me(c);
        List<String> ids = new ArrayList<>();
        for (FakeSpread.Sent s : bus.sent()) {
            if (s.sender().equals(me) && s.messType() == QueueControlCodec.MESS_TYPE) {
                QueueControl qc = QueueControlCodec.decode(s.payload());
                if (qc.kind() == QueueControl.Kind.ACK) {
                    ids.addAll(qc.ids());
                }
            }
        }
        return ids;
    }

    private void awaitAcked(SpreadJmsConnection c, List<String> ids) throws JMSException {
        String me = me(c);
        bus.await(() -> {
            try {
                return acked(c).containsAll(ids);
            } catch (JMSException e) {
                throw new AssertionError(e);
            }
        }, "ACKs from " + me + " for " + ids, WAIT);
    }

    private static TextMessage receive(MessageConsumer c) throws JMSException {
        Message m = c.receive(ARRIVES_MS);
        assertNotNull(m, "no message within " + ARRIVES_MS + " ms");
        return (TextMessage) m;
    }

    private static String group(String queue) throws JMSException {
        return QueueAssignment.groupOf(new SpreadQueue(queue));
    }

    private long leavesOf(SpreadJmsConnection c, String queue) throws JMSException {
        String me = me(c);
        String g = group(queue);
        return bus.changes().stream().filter(ch -> ch.reason() == MembershipReason.LEAVE && ch.member().equals(me)
                && ch.group().equals(g)).count();
    }

    // ---- acknowledgement modes

    @Test
    void autoAcknowledgeReceiveSendsAnAckForTheQueueMessage() throws Exception {
        SpreadJmsConnection c = connect("");
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("jobs"));
        List<String> ids = produce("jobs", "one");
        TextMessage m = receive(consumer);
        assertEquals("one", m.getText());
        assertFalse(m.getJMSRedelivered());
        assertEquals(1, m.getIntProperty("JMSXDeliveryCount"));
        awaitAcked(c, ids);
    }

    @Test
    void clientAcknowledgeRecoverRedeliversInOrderMarkedRedelivered() throws Exception {
        SpreadJmsConnection c = connect("");
        Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("jobs"));
        List<String> ids = produce("jobs", "m0", "m1", "m2");
        for (int i = 0; i < 3; i++) {
            TextMessage m = receive(consumer);
            assertEquals("m" + i, m.getText());
            assertFalse(m.getJMSRedelivered());
        }
        s.recover();
        TextMessage last = null;
        for (int i = 0; i < 3; i++) {
            last = receive(consumer);
            assertEquals("m" + i, last.getText(), "recover keeps the order");
            assertEquals(ids.get(i), last.getJMSMessageID());
            assertTrue(last.getJMSRedelivered());
            assertEquals(2, last.getIntProperty("JMSXDeliveryCount"));
        }
        assertNull(consumer.receiveNoWait());
        assertTrue(acked(c).isEmpty(), "nothing was acknowledged yet");
        last.acknowledge();
        awaitAcked(c, ids);
        s.recover();
        assertNull(consumer.receiveNoWait(), "acknowledged messages do not come back");
    }

    @Test
    void transactedRollbackRedeliversAndCommitAcknowledges() throws Exception {
        SpreadJmsConnection c = connect("");
        Session s = c.createSession(Session.SESSION_TRANSACTED);
        MessageConsumer consumer = s.createConsumer(s.createQueue("jobs"));
        List<String> ids = produce("jobs", "t0", "t1");
        assertEquals("t0", receive(consumer).getText());
        assertEquals("t1", receive(consumer).getText());
        s.rollback();
        for (int i = 0; i < 2; i++) {
            TextMessage m = receive(consumer);
            assertEquals("t" + i, m.getText());
            assertTrue(m.getJMSRedelivered());
            assertEquals(2, m.getIntProperty("JMSXDeliveryCount"));
        }
        assertTrue(acked(c).isEmpty(), "a rollback acknowledges nothing");
        s.commit();
        awaitAcked(c, ids);
        s.rollback();
        assertNull(consumer.receiveNoWait(), "committed messages do not come back");
    }

    @Test
    void listenerThatThrowsInAutoModeGetsTheMessageAgainThenItIsGivenUpAfterMaxRedeliveries() throws Exception {
        SpreadJmsConnection c = connect("maxRedeliveries=2");
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("jobs"));
        List<String> calls = new CopyOnWriteArrayList<>();
        CountDownLatch three = new CountDownLatch(3);
        consumer.setMessageListener(m -> {
            try {
                calls.add(m.getJMSRedelivered() + "/" + m.getIntProperty("JMSXDeliveryCount"));
            } catch (JMSException e) {
                throw new AssertionError(e);
            }
            three.countDown();
            throw new IllegalArgumentException("poison");
        });
        List<String> ids = produce("jobs", "poison");
        assertTrue(three.await(5, TimeUnit.SECONDS));
        awaitAcked(c, ids); // given up on: it counts as consumed, the other members forget it
        s.close(); // waits for the listener thread: no call can still be on its way
        assertEquals(List.of("false/1", "true/2", "true/3"), calls);
    }

    @Test
    void listenerThatThrowsOnceIsCalledAgainAndTheMessageIsAcknowledged() throws Exception {
        SpreadJmsConnection c = connect("");
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("jobs"));
        List<Boolean> redelivered = new CopyOnWriteArrayList<>();
        CountDownLatch twice = new CountDownLatch(2);
        consumer.setMessageListener(m -> {
            try {
                redelivered.add(m.getJMSRedelivered());
            } catch (JMSException e) {
                throw new AssertionError(e);
            }
            twice.countDown();
            if (redelivered.size() == 1) {
                throw new RuntimeException("first time");
            }
        });
        List<String> ids = produce("jobs", "flaky");
        assertTrue(twice.await(5, TimeUnit.SECONDS));
        awaitAcked(c, ids);
        s.close();
        assertEquals(List.of(false, true), redelivered);
    }

    @Test
    void failedCommitThrowsTransactionRolledBackAndTheReceivedMessageComesBack() throws Exception {
        SpreadJmsConnection c = connect("");
        Session s = c.createSession(Session.SESSION_TRANSACTED);
        MessageConsumer consumer = s.createConsumer(s.createQueue("jobs"));
        MessageProducer forward = s.createProducer(s.createQueue("next"));
        produce("jobs", "work");
        assertEquals("work", receive(consumer).getText());
        forward.send(s.createTextMessage("result"));
        bus.failSends(me(c), 1);
        assertThrows(jakarta.jms.TransactionRolledBackException.class, s::commit);
        TextMessage again = receive(consumer);
        assertEquals("work", again.getText());
        assertTrue(again.getJMSRedelivered());
        assertTrue(acked(c).isEmpty());
    }

    @Test
    void unacknowledgedMessagesOfAClosedClientAckSessionGoToTheOtherMemberMarkedRedelivered() throws Exception {
        SpreadJmsConnection a = connect("");
        SpreadJmsConnection b = connect("");
        Session sa = a.createSession(Session.CLIENT_ACKNOWLEDGE);
        Session sb = b.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageConsumer ca = sa.createConsumer(sa.createQueue("jobs"));
        MessageConsumer cb = sb.createConsumer(sb.createQueue("jobs"));
        List<String> ids = produce("jobs", "j0", "j1", "j2", "j3", "j4", "j5", "j6", "j7", "j8", "j9");
        List<String> ofA = new ArrayList<>();
        for (Message m; (m = ca.receiveNoWait()) != null; ) {
            ofA.add(m.getJMSMessageID());
        }
        List<String> ofB = new ArrayList<>();
        for (Message m; (m = cb.receiveNoWait()) != null; ) {
            ofB.add(m.getJMSMessageID());
        }
        assertEquals(10, ofA.size() + ofB.size());
        assertFalse(ofA.isEmpty(), "a got none of 10");
        awaitAcked(b, ofB);
        sa.close(); // nothing acknowledged: b must take a's messages
        bus.deliverAll();
        List<String> again = new ArrayList<>();
        for (Message m; (m = cb.receiveNoWait()) != null; ) {
            assertTrue(m.getJMSRedelivered());
            again.add(m.getJMSMessageID());
        }
        assertEquals(ofA, again, "a's messages, each once, in order");
        assertTrue(ids.containsAll(again));
    }

    // ---- close() from several threads

    @Test
    void consumerClosedFromSeveralThreadsAtOnceIsRemovedOnce() throws Exception {
        SpreadJmsConnection c = connect("");
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("jobs");
        MessageConsumer closing = s.createConsumer(q);
        MessageConsumer staying = s.createConsumer(q);
        closeConcurrently(closing::close, closing::close, closing::close, closing::close, closing::close);
        // a second removal would have uncounted the other consumer's use of the group and left it
        assertEquals(0, leavesOf(c, "jobs"));
        assertTrue(bus.members(group("jobs")).contains(me(c)));
        assertThrows(IllegalStateException.class, closing::receiveNoWait);
        List<String> ids = produce("jobs", "still here");
        assertEquals("still here", receive(staying).getText());
        awaitAcked(c, ids);
        staying.close();
        assertEquals(1, leavesOf(c, "jobs"));
    }

    @Test
    void sessionClosedFromSeveralThreadsAtOnceClosesOnceWithoutError() throws Exception {
        SpreadJmsConnection c = connect("");
        Session closing = c.createSession(Session.CLIENT_ACKNOWLEDGE);
        Session other = c.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageConsumer inClosing = closing.createConsumer(closing.createQueue("jobs"));
        MessageConsumer staying = other.createConsumer(other.createQueue("jobs"));
        closeConcurrently(closing::close, closing::close, inClosing::close, closing::close, inClosing::close,
                closing::close);
        assertEquals(0, leavesOf(c, "jobs"), "the other session's consumer keeps the group");
        assertThrows(IllegalStateException.class, () -> closing.createTextMessage());
        assertThrows(IllegalStateException.class, inClosing::receiveNoWait);
        produce("jobs", "to the other session");
        assertEquals("to the other session", receive(staying).getText());
        other.close();
        assertEquals(1, leavesOf(c, "jobs"));
    }

    private interface Closer {
        void close() throws JMSException;
    }

    private void closeConcurrently(Closer... closers) throws Exception {
        CountDownLatch ready = new CountDownLatch(closers.length);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (Closer closer : closers) {
            done.add(callers.submit(() -> {
                ready.countDown();
                go.await();
                closer.close();
                return null;
            }));
        }
        assertTrue(ready.await(5, TimeUnit.SECONDS));
        go.countDown();
        for (Future<?> f : done) {
            f.get(10, TimeUnit.SECONDS); // any exception fails the test
        }
    }
}
