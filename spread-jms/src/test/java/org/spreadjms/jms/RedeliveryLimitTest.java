package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/** maxRedeliveries and deadLetterQueue: a poison message is given up on instead of looping for ever. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedeliveryLimitTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    @Test
    void rolledBackPastTheLimitTheMessageMovesToTheDeadLetterQueueWithItsHistory() throws Exception {
        String dlq = JmsTestSupport.unique("dlq");
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon, "maxRedeliveries=2&deadLetterQueue=" + dlq);
        try (Connection c = JmsTestSupport.started(f); Connection p = JmsTestSupport.started(f)) {
            Session s = c.createSession(Session.SESSION_TRANSACTED);
            Topic t = s.createTopic(JmsTestSupport.unique("poison.tx"));
            MessageConsumer consumer = s.createConsumer(t);
            Session ds = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer dead = ds.createConsumer(ds.createQueue(dlq));
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(t);
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            TextMessage sent = ps.createTextMessage("poison");
            sent.setStringProperty("app", "kept");
            producer.send(sent);
            for (int delivery = 1; delivery <= 3; delivery++) { // the first delivery and 2 redeliveries
                TextMessage m = JmsTestSupport.receive(consumer, TextMessage.class);
                assertEquals("poison", m.getText());
                assertEquals(delivery, m.getIntProperty("JMSXDeliveryCount"));
                s.rollback();
            }
            assertNull(consumer.receive(JmsTestSupport.ABSENT_MS), "redelivered past maxRedeliveries=2");
            TextMessage d = JmsTestSupport.receive(dead, TextMessage.class);
            assertEquals("poison", d.getText());
            assertEquals("kept", d.getStringProperty("app"));
            assertEquals(sent.getJMSMessageID(), d.getStringProperty(DeadLetters.ORIGINAL_MESSAGE_ID));
            assertNotEquals(sent.getJMSMessageID(), d.getJMSMessageID());
            assertEquals(0, d.getJMSExpiration());
            assertEquals(dlq, ((Queue) d.getJMSDestination()).getQueueName());
            assertEquals(t.toString(), d.getStringProperty(DeadLetters.ORIGINAL_DESTINATION));
            assertEquals(3, d.getIntProperty(DeadLetters.DELIVERIES));
            assertTrue(d.getStringProperty(DeadLetters.REASON).contains("maxRedeliveries=2"),
                    d.getStringProperty(DeadLetters.REASON));
            assertEquals(1, d.getIntProperty("JMSXDeliveryCount"));
            assertFalse(d.getJMSRedelivered());
            // the session goes on: the next message is delivered normally
            producer.send(ps.createTextMessage("next"));
            assertEquals("next", JmsTestSupport.receive(consumer, TextMessage.class).getText());
            s.commit();
        }
    }

    @Test
    void listenerThatAlwaysThrowsIsCalledOncePlusMaxRedeliveriesThenTheMessageIsDropped() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon, "maxRedeliveries=1");
        try (Connection c = JmsTestSupport.started(f); Connection p = JmsTestSupport.started(f)) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic(JmsTestSupport.unique("poison.listener"));
            List<String> calls = new ArrayList<>();
            CountDownLatch good = new CountDownLatch(1);
            s.createConsumer(t).setMessageListener(m -> {
                try {
                    String text = ((TextMessage) m).getText();
                    synchronized (calls) {
                        calls.add(text + "#" + m.getIntProperty("JMSXDeliveryCount"));
                    }
                    if (text.equals("bad")) {
                        throw new IllegalStateException("poison");
                    }
                    good.countDown();
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(t);
            producer.send(ps.createTextMessage("bad"));
            producer.send(ps.createTextMessage("good"));
            assertTrue(good.await(JmsTestSupport.ARRIVES_MS, TimeUnit.MILLISECONDS), "the next message never came");
            Thread.sleep(JmsTestSupport.ABSENT_MS);
            synchronized (calls) {
                assertEquals(List.of("bad#1", "bad#2", "good#1"), calls);
            }
        }
    }

    @Test
    void noLimitMeansRedeliveredAsOftenAsRolledBack() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon, "maxRedeliveries=-1");
        try (Connection c = JmsTestSupport.started(f); Connection p = JmsTestSupport.started(f)) {
            Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
            Topic t = s.createTopic(JmsTestSupport.unique("poison.unlimited"));
            MessageConsumer consumer = s.createConsumer(t);
            Session ps = p.createSession();
            ps.createProducer(t).send(ps.createTextMessage("again"));
            for (int delivery = 1; delivery <= 20; delivery++) {
                Message m = JmsTestSupport.receive(consumer, TextMessage.class);
                assertEquals(delivery, m.getIntProperty("JMSXDeliveryCount"));
                s.recover();
            }
            JmsTestSupport.receive(consumer, TextMessage.class).acknowledge();
        }
    }

    @Test
    void defaultLimitIsSixRedeliveries() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon);
        assertEquals(6, f.getSettings().getMaxRedeliveries());
        try (Connection c = JmsTestSupport.started(f); Connection p = JmsTestSupport.started(f)) {
            Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
            Topic t = s.createTopic(JmsTestSupport.unique("poison.default"));
            MessageConsumer consumer = s.createConsumer(t);
            Session ps = p.createSession();
            ps.createProducer(t).send(ps.createTextMessage("x"));
            for (int delivery = 1; delivery <= 7; delivery++) {
                assertEquals(delivery, JmsTestSupport.receive(consumer, TextMessage.class)
                        .getIntProperty("JMSXDeliveryCount"));
                s.recover();
            }
            assertNull(consumer.receive(JmsTestSupport.ABSENT_MS), "an eighth delivery");
        }
    }

    @Test
    void aQueueMessageGivenUpOnIsConsumedForEveryMemberNotReassignedWhenItsConsumerLeaves() throws Exception {
        String queue = JmsTestSupport.unique("poison.queue");
        String dlq = JmsTestSupport.unique("poison.queue.dlq");
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon, "maxRedeliveries=0&deadLetterQueue=" + dlq);
        int count = 40;
        Set<String> good = ConcurrentHashMap.newKeySet();
        AtomicInteger goodDuplicates = new AtomicInteger();
        try (Connection deadConn = JmsTestSupport.started(f); Connection bConn = JmsTestSupport.started(f);
             Connection p = JmsTestSupport.started(f)) {
            Session ds = deadConn.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer dead = ds.createConsumer(ds.createQueue(dlq));
            Session bs = bConn.createSession(Session.AUTO_ACKNOWLEDGE);
            bs.createConsumer(bs.createQueue(queue)).setMessageListener(m -> {
                try {
                    if (!good.add(((TextMessage) m).getText())) {
                        goodDuplicates.incrementAndGet();
                    }
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            Set<String> given = new HashSet<>();
            try (Connection aConn = JmsTestSupport.started(f)) {
                Session as = aConn.createSession(Session.SESSION_TRANSACTED);
                MessageConsumer a = as.createConsumer(as.createQueue(queue));
                Session ps = p.createSession();
                MessageProducer producer = ps.createProducer(ps.createQueue(queue));
                for (int i = 0; i < count; i++) {
                    producer.send(ps.createTextMessage("m" + i));
                }
                // A rejects everything it is assigned: with maxRedeliveries=0 the first rollback gives up
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (good.size() + given.size() < count && System.nanoTime() < until) {
                    Message m = a.receive(200);
                    if (m != null) {
                        as.rollback();
                    }
                    Message d;
                    while ((d = dead.receiveNoWait()) != null) {
                        assertTrue(given.add(((TextMessage) d).getText()), "dead-lettered twice");
                    }
                }
                assertFalse(given.isEmpty(), "no message was assigned to the rejecting consumer");
                assertFalse(good.isEmpty(), "no message was assigned to the accepting consumer");
            } // A leaves: what it gave up on is consumed, so B must not get it now
            Thread.sleep(JmsTestSupport.ABSENT_MS * 2);
            assertNull(dead.receive(JmsTestSupport.ABSENT_MS), "more dead letters after A left");
            Set<String> both = new HashSet<>(good);
            both.retainAll(given);
            assertEquals(Set.of(), both, "given up on and also consumed by B");
            assertEquals(count, good.size() + given.size());
            assertEquals(0, goodDuplicates.get());
        }
    }

    @Test
    void aMessageGivenUpOnWhileConsumingTheDeadLetterQueueIsDroppedNotSentThereAgain() throws Exception {
        String dlq = JmsTestSupport.unique("dlq.loop");
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon, "maxRedeliveries=0&deadLetterQueue=" + dlq);
        try (Connection c = JmsTestSupport.started(f); Connection p = JmsTestSupport.started(f)) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic(JmsTestSupport.unique("poison.loop"));
            s.createConsumer(t).setMessageListener(m -> {
                throw new IllegalStateException("poison");
            });
            Session ds = c.createSession(Session.AUTO_ACKNOWLEDGE);
            AtomicInteger deadCalls = new AtomicInteger();
            List<String> origins = new java.util.concurrent.CopyOnWriteArrayList<>();
            ds.createConsumer(ds.createQueue(dlq)).setMessageListener(m -> {
                deadCalls.incrementAndGet();
                try {
                    origins.add(m.getStringProperty(DeadLetters.ORIGINAL_DESTINATION));
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
                throw new IllegalStateException("the dead-letter handler fails too");
            });
            Session ps = p.createSession();
            ps.createProducer(t).send(ps.createTextMessage("x"));
            Thread.sleep(1000);
            assertEquals(1, deadCalls.get(), "the message looped through the dead-letter queue");
            assertEquals(List.of(t.toString()), origins);
        }
    }

    @Test
    void aMessageSentWithoutAnIdStillReachesTheDeadLetterQueue() throws Exception {
        String dlq = JmsTestSupport.unique("dlq.noid");
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon, "maxRedeliveries=0&deadLetterQueue=" + dlq);
        try (Connection c = JmsTestSupport.started(f); Connection p = JmsTestSupport.started(f)) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.TemporaryQueue tq = s.createTemporaryQueue();
            s.createConsumer(tq).setMessageListener(m -> {
                throw new IllegalStateException("poison");
            });
            Session ds = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer dead = ds.createConsumer(ds.createQueue(dlq));
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(tq);
            producer.setDisableMessageID(true);
            producer.send(ps.createTextMessage("no id"));
            TextMessage d = JmsTestSupport.receive(dead, TextMessage.class);
            assertEquals("no id", d.getText());
            assertNotNull(d.getJMSMessageID());
            assertNull(d.getStringProperty(DeadLetters.ORIGINAL_MESSAGE_ID));
        }
    }

    @Test
    void aRedeliveredMessageSentOnArrivesAsAFirstDelivery() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon, "maxRedeliveries=2");
        try (Connection c = JmsTestSupport.started(f); Connection p = JmsTestSupport.started(f)) {
            Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
            Topic in = s.createTopic(JmsTestSupport.unique("forward.in"));
            Topic out = s.createTopic(JmsTestSupport.unique("forward.out"));
            MessageConsumer fromIn = s.createConsumer(in);
            Session os = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer fromOut = os.createConsumer(out);
            Session ps = p.createSession();
            ps.createProducer(in).send(ps.createTextMessage("forward me"));
            Message m = JmsTestSupport.receive(fromIn, TextMessage.class);
            s.recover();
            m = JmsTestSupport.receive(fromIn, TextMessage.class);
            assertEquals(2, m.getIntProperty("JMSXDeliveryCount"));
            assertTrue(m.getJMSRedelivered());
            ps.createProducer(out).send(m);
            m.acknowledge();
            Message o = JmsTestSupport.receive(fromOut, TextMessage.class);
            assertFalse(o.getJMSRedelivered(), "the first delivery of a message sent on is marked redelivered");
            assertEquals(1, o.getIntProperty("JMSXDeliveryCount"));
        }
    }

    @Test
    void badSettingsAreRefusedNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SpreadConnectionFactory("spread://127.0.0.1:4803?maxRedeliveries=-2"));
        assertTrue(e.getMessage().contains("maxRedeliveries"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new SpreadConnectionFactory("spread://127.0.0.1:4803?maxRedeliveries=many"));
        assertTrue(e.getMessage().contains("maxRedeliveries"), e.getMessage());
        SpreadConnectionFactory f = new SpreadConnectionFactory();
        e = assertThrows(IllegalArgumentException.class, () -> f.setDeadLetterQueue("#not#a#queue"));
        assertTrue(e.getMessage().contains("deadLetterQueue"), e.getMessage());
        f.setDeadLetterQueue("DLQ");
        f.setMaxRedeliveries(0);
        assertEquals("DLQ", f.getSettings().getDeadLetterQueue());
        assertEquals(0, f.getSettings().getMaxRedeliveries());
        assertNotNull(f.toString());
    }
}
