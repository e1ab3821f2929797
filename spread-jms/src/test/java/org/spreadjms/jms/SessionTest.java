package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SessionTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private static SpreadConnectionFactory factory() {
        return JmsTestSupport.factory(daemon);
    }

    @ParameterizedTest
    @ValueSource(ints = {Session.AUTO_ACKNOWLEDGE, Session.CLIENT_ACKNOWLEDGE, Session.DUPS_OK_ACKNOWLEDGE,
            Session.SESSION_TRANSACTED})
    void everySessionModeSendsAndReceives(int mode) throws Exception {
        try (Connection c = JmsTestSupport.started(factory())) {
            Session s = c.createSession(mode);
            assertEquals(mode, s.getAcknowledgeMode());
            assertEquals(mode == Session.SESSION_TRANSACTED, s.getTransacted());
            Topic t = s.createTopic(JmsTestSupport.unique("session.mode"));
            MessageConsumer consumer = s.createConsumer(t);
            s.createProducer(t).send(s.createTextMessage("m" + mode));
            if (mode == Session.SESSION_TRANSACTED) {
                s.commit();
            }
            TextMessage m = JmsTestSupport.receive(consumer, TextMessage.class);
            assertEquals("m" + mode, m.getText());
            assertFalse(m.getJMSRedelivered());
            m.acknowledge();
            if (mode == Session.SESSION_TRANSACTED) {
                s.commit();
            }
        }
    }

    @Test
    void legacyCreateSessionArgumentsMapToModes() throws Exception {
        try (Connection c = factory().createConnection()) {
            assertEquals(Session.SESSION_TRANSACTED, c.createSession(true, Session.AUTO_ACKNOWLEDGE)
                    .getAcknowledgeMode());
            assertEquals(Session.CLIENT_ACKNOWLEDGE, c.createSession(false, Session.CLIENT_ACKNOWLEDGE)
                    .getAcknowledgeMode());
            assertEquals(Session.AUTO_ACKNOWLEDGE, c.createSession().getAcknowledgeMode());
            assertThrows(JMSException.class, () -> c.createSession(42));
        }
    }

    @Test
    void recoverRedeliversUnacknowledgedMessagesWithRaisedDeliveryCount() throws Exception {
        try (Connection c = JmsTestSupport.started(factory()); Connection p = JmsTestSupport.started(factory())) {
            Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
            Topic t = s.createTopic(JmsTestSupport.unique("session.recover"));
            MessageConsumer consumer = s.createConsumer(t);
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(t);
            producer.send(ps.createTextMessage("a"));
            producer.send(ps.createTextMessage("b"));
            TextMessage a = JmsTestSupport.receive(consumer, TextMessage.class);
            TextMessage b = JmsTestSupport.receive(consumer, TextMessage.class);
            assertEquals(1, a.getIntProperty("JMSXDeliveryCount"));
            assertEquals("b", b.getText());
            s.recover();
            TextMessage a2 = JmsTestSupport.receive(consumer, TextMessage.class);
            TextMessage b2 = JmsTestSupport.receive(consumer, TextMessage.class);
            assertEquals("a", a2.getText());
            assertEquals("b", b2.getText());
            assertTrue(a2.getJMSRedelivered());
            assertEquals(2, a2.getIntProperty("JMSXDeliveryCount"));
            assertEquals(a.getJMSMessageID(), a2.getJMSMessageID());
            b2.acknowledge();
            s.recover();
            assertNull(consumer.receive(JmsTestSupport.ABSENT_MS), "acknowledged messages came back");
        }
    }

    @Test
    void rollbackRedeliversReceivedMessagesAndCommitForgetsThem() throws Exception {
        try (Connection c = JmsTestSupport.started(factory()); Connection p = JmsTestSupport.started(factory())) {
            Session s = c.createSession(Session.SESSION_TRANSACTED);
            Topic t = s.createTopic(JmsTestSupport.unique("session.rollback"));
            MessageConsumer consumer = s.createConsumer(t);
            Session ps = p.createSession();
            ps.createProducer(t).send(ps.createTextMessage("x"));
            TextMessage first = JmsTestSupport.receive(consumer, TextMessage.class);
            assertFalse(first.getJMSRedelivered());
            s.rollback();
            TextMessage again = JmsTestSupport.receive(consumer, TextMessage.class);
            assertEquals("x", again.getText());
            assertTrue(again.getJMSRedelivered());
            assertEquals(2, again.getIntProperty("JMSXDeliveryCount"));
            s.commit();
            s.rollback();
            assertNull(consumer.receive(JmsTestSupport.ABSENT_MS), "a committed message came back");
        }
    }

    @Test
    void transactedSendsAreHeldUntilCommitAndDroppedByRollback() throws Exception {
        try (Connection c = JmsTestSupport.started(factory()); Connection p = JmsTestSupport.started(factory())) {
            Session cs = c.createSession();
            Topic t = cs.createTopic(JmsTestSupport.unique("session.tx"));
            MessageConsumer consumer = cs.createConsumer(t);
            Session tx = p.createSession(Session.SESSION_TRANSACTED);
            MessageProducer producer = tx.createProducer(t);
            producer.send(tx.createTextMessage("rolled back"));
            assertNull(consumer.receive(JmsTestSupport.ABSENT_MS), "seen before commit");
            tx.rollback();
            producer.send(tx.createTextMessage("one"));
            producer.send(tx.createTextMessage("two"));
            assertNull(consumer.receive(JmsTestSupport.ABSENT_MS), "seen before commit");
            tx.commit();
            assertEquals("one", JmsTestSupport.receive(consumer, TextMessage.class).getText());
            assertEquals("two", JmsTestSupport.receive(consumer, TextMessage.class).getText());
            assertNull(consumer.receive(JmsTestSupport.ABSENT_MS), "the rolled back message arrived");
        }
    }

    @Test
    void commitRollbackAndRecoverInTheWrongModeAreIllegalState() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session auto = c.createSession(Session.AUTO_ACKNOWLEDGE);
            assertThrows(IllegalStateException.class, auto::commit);
            assertThrows(IllegalStateException.class, auto::rollback);
            Session tx = c.createSession(Session.SESSION_TRANSACTED);
            assertThrows(IllegalStateException.class, tx::recover);
        }
    }

    @Test
    void closedSessionIsIllegalStateForEveryOperation() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(Session.SESSION_TRANSACTED);
            Topic t = s.createTopic("session.closed");
            s.close();
            s.close();
            assertThrows(IllegalStateException.class, s::createTextMessage);
            assertThrows(IllegalStateException.class, () -> s.createProducer(t));
            assertThrows(IllegalStateException.class, () -> s.createConsumer(t));
            assertThrows(IllegalStateException.class, () -> s.createTopic("y"));
            assertThrows(IllegalStateException.class, s::commit);
            assertThrows(IllegalStateException.class, s::rollback);
            assertThrows(IllegalStateException.class, s::getTransacted);
            assertThrows(IllegalStateException.class, s::createTemporaryQueue);
        }
    }

    @Test
    void closingASessionClosesItsConsumersAndProducers() throws Exception {
        try (Connection c = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("session.children"));
            MessageConsumer consumer = s.createConsumer(t);
            MessageProducer producer = s.createProducer(t);
            s.close();
            assertThrows(IllegalStateException.class, () -> consumer.receive(10));
            assertThrows(IllegalStateException.class, () -> producer.send(c.createSession().createMessage()));
        }
    }

    @Test
    void aListenerClosingItsOwnSessionIsIllegalState() throws Exception {
        try (Connection c = JmsTestSupport.started(factory()); Connection p = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("session.closeself"));
            CompletableFuture<Exception> result = new CompletableFuture<>();
            MessageConsumer consumer = s.createConsumer(t);
            consumer.setMessageListener(m -> result.complete(ConnectionTest.attempt(s::close)));
            Session ps = p.createSession();
            ps.createProducer(t).send(ps.createTextMessage("x"));
            assertInstanceOf(IllegalStateException.class, result.get(5, TimeUnit.SECONDS));
            assertEquals(Session.AUTO_ACKNOWLEDGE, s.getAcknowledgeMode(), "session unusable after refused close");
        }
    }

    @Test
    void aListenerMayCloseItsOwnConsumer() throws Exception {
        try (Connection c = JmsTestSupport.started(factory()); Connection p = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("session.closeconsumer"));
            CompletableFuture<Exception> result = new CompletableFuture<>();
            MessageConsumer consumer = s.createConsumer(t);
            consumer.setMessageListener(m -> result.complete(ConnectionTest.attempt(consumer::close)));
            Session ps = p.createSession();
            ps.createProducer(t).send(ps.createTextMessage("x"));
            assertNull(result.get(5, TimeUnit.SECONDS));
            assertThrows(IllegalStateException.class, consumer::getMessageListener);
        }
    }

    @Test
    void durableSubscriptionsAreRefusedWithAClearJmsException() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Topic t = s.createTopic("session.durable");
            JMSException e = assertThrows(JMSException.class, () -> s.createDurableSubscriber(t, "sub"));
            assertTrue(e.getMessage().contains("durable"), e.getMessage());
            assertThrows(JMSException.class, () -> s.createDurableConsumer(t, "sub"));
            assertThrows(JMSException.class, () -> s.createSharedDurableConsumer(t, "sub"));
            assertThrows(JMSException.class, () -> s.createDurableConsumer(t, "sub", null, false));
        }
    }
}
