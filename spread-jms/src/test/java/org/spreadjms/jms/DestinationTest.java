package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;
import org.spreadjms.jms.destination.DestinationNames;
import org.spreadjms.jms.destination.SpreadDestination;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DestinationTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private static SpreadConnectionFactory factory() {
        return JmsTestSupport.factory(daemon);
    }

    private static String privateGroup(Connection c) throws JMSException {
        return ((SpreadJmsConnection) c).provider().privateGroup();
    }

    @Test
    void legalTopicNameIsTheSpreadGroupOfTheSameName() throws Exception {
        try (Connection c = factory().createConnection()) {
            Topic t = c.createSession().createTopic("orders.eu");
            assertEquals("orders.eu", ((SpreadDestination) t).spreadGroup());
        }
    }

    @Test
    void longAndIllegalTopicNamesAreMappedAndStillWorkEndToEnd() throws Exception {
        String longName = "a.very.long.topic.name.that.exceeds.thirty-one.characters";
        String spaced = "9 orders with spaces ü";
        for (String name : List.of(longName, spaced)) {
            try (Connection c = JmsTestSupport.started(factory()); Connection p = JmsTestSupport.started(factory())) {
                Session s = c.createSession();
                Topic t = s.createTopic(name);
                String group = ((SpreadDestination) t).spreadGroup();
                assertNotEquals(name, group);
                assertEquals(DestinationNames.groupFor(name), group);
                assertTrue(DestinationNames.isLegalGroupName(group), group);
                MessageConsumer consumer = s.createConsumer(t);
                Session ps = p.createSession();
                ps.createProducer(ps.createTopic(name)).send(ps.createTextMessage(name));
                TextMessage got = JmsTestSupport.receive(consumer, TextMessage.class);
                assertEquals(name, got.getText());
                assertEquals(name, ((Topic) got.getJMSDestination()).getTopicName());
            }
        }
    }

    @Test
    void queueNamedByAPrivateGroupDeliversToThatConnection() throws Exception {
        try (Connection c = JmsTestSupport.started(factory()); Connection p = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            Queue mine = s.createQueue(privateGroup(c));
            MessageConsumer consumer = s.createConsumer(mine);
            Session ps = p.createSession();
            Queue theirs = ps.createQueue(privateGroup(c));
            ps.createProducer(theirs).send(ps.createTextMessage("direct"));
            TextMessage got = JmsTestSupport.receive(consumer, TextMessage.class);
            assertEquals("direct", got.getText());
            assertEquals(mine, got.getJMSDestination());
        }
    }

    @Test
    void temporaryQueueIsASubAddressOfThePrivateGroupAndKeepsMessagesApart() throws Exception {
        try (Connection c = JmsTestSupport.started(factory()); Connection p = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            TemporaryQueue a = s.createTemporaryQueue();
            TemporaryQueue b = s.createTemporaryQueue();
            assertTrue(a.getQueueName().startsWith(privateGroup(c) + "/"), a.getQueueName());
            assertNotEquals(a, b);
            MessageConsumer ca = s.createConsumer(a);
            MessageConsumer cb = s.createConsumer(b);
            MessageConsumer own = s.createConsumer(s.createQueue(privateGroup(c)));
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(null);
            for (int i = 0; i < 5; i++) {
                producer.send(a, ps.createTextMessage("a" + i));
                producer.send(b, ps.createTextMessage("b" + i));
            }
            for (int i = 0; i < 5; i++) {
                assertEquals("a" + i, JmsTestSupport.receive(ca, TextMessage.class).getText());
                assertEquals("b" + i, JmsTestSupport.receive(cb, TextMessage.class).getText());
            }
            assertNull(ca.receiveNoWait());
            assertNull(own.receive(JmsTestSupport.ABSENT_MS), "temporary queue messages leaked to the private queue");
        }
    }

    @Test
    void consumingAnotherConnectionsTemporaryDestinationIsInvalidDestination() throws Exception {
        try (Connection owner = factory().createConnection(); Connection other = factory().createConnection()) {
            Session os = owner.createSession();
            TemporaryQueue q = os.createTemporaryQueue();
            TemporaryTopic t = os.createTemporaryTopic();
            Session s = other.createSession();
            assertThrows(InvalidDestinationException.class, () -> s.createConsumer(q));
            assertThrows(InvalidDestinationException.class, () -> s.createConsumer(t));
        }
    }

    @Test
    void deletingATemporaryDestinationWithAConsumerIsAJmsException() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            TemporaryQueue q = s.createTemporaryQueue();
            TemporaryTopic t = s.createTemporaryTopic();
            MessageConsumer cq = s.createConsumer(q);
            MessageConsumer ct = s.createConsumer(t);
            assertThrows(JMSException.class, q::delete);
            assertThrows(JMSException.class, t::delete);
            cq.close();
            ct.close();
            q.delete();
            t.delete();
            assertThrows(InvalidDestinationException.class, () -> s.createConsumer(q));
            assertThrows(InvalidDestinationException.class, () -> s.createConsumer(t));
        }
    }

    @Test
    void temporaryTopicReachesEverySubscriberOfItsConnection() throws Exception {
        try (Connection c = JmsTestSupport.started(factory()); Connection p = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            TemporaryTopic t = s.createTemporaryTopic();
            MessageConsumer one = s.createConsumer(t);
            MessageConsumer two = c.createSession().createConsumer(t);
            Session ps = p.createSession();
            ps.createProducer(t).send(ps.createTextMessage("tt"));
            assertEquals("tt", JmsTestSupport.receive(one, TextMessage.class).getText());
            assertEquals("tt", JmsTestSupport.receive(two, TextMessage.class).getText());
        }
    }

    @Test
    void requestReplyWithReplyToAndCorrelationIdOverATemporaryTopic() throws Exception {
        try (Connection server = JmsTestSupport.started(factory());
             Connection client = JmsTestSupport.started(factory())) {
            Session ss = server.createSession();
            Topic service = ss.createTopic(JmsTestSupport.unique("dest.service"));
            MessageProducer replies = ss.createProducer(null);
            ss.createConsumer(service).setMessageListener(m -> {
                try {
                    TextMessage reply = ss.createTextMessage("re: " + ((TextMessage) m).getText());
                    reply.setJMSCorrelationID(m.getJMSCorrelationID());
                    replies.send(m.getJMSReplyTo(), reply);
                } catch (JMSException e) {
                    throw new RuntimeException(e);
                }
            });
            Session cs = client.createSession();
            TemporaryTopic replyTo = cs.createTemporaryTopic();
            MessageConsumer replyConsumer = cs.createConsumer(replyTo);
            TextMessage request = cs.createTextMessage("ping");
            request.setJMSReplyTo(replyTo);
            request.setJMSCorrelationID("req-17");
            cs.createProducer(service).send(request);
            TextMessage reply = JmsTestSupport.receive(replyConsumer, TextMessage.class);
            assertEquals("re: ping", reply.getText());
            assertEquals("req-17", reply.getJMSCorrelationID());
            assertEquals(replyTo, reply.getJMSDestination());
        }
    }

    @Test
    void browserSeesMessagesWaitingInATemporaryQueueWithoutTakingThem() throws Exception {
        try (Connection c = JmsTestSupport.started(factory()); Connection p = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            TemporaryQueue q = s.createTemporaryQueue();
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(q);
            for (int i = 0; i < 3; i++) {
                TextMessage m = ps.createTextMessage("w" + i);
                m.setIntProperty("n", i);
                producer.send(m);
            }
            awaitEarlierMessages(c, ps);
            QueueBrowser all = s.createBrowser(q);
            QueueBrowser odd = s.createBrowser(q, "n = 1");
            assertEquals(q, all.getQueue());
            List<?> seen = Collections.list(all.getEnumeration());
            assertEquals(3, seen.size());
            assertEquals("w0", ((TextMessage) seen.get(0)).getText());
            List<?> selected = Collections.list(odd.getEnumeration());
            assertEquals(1, selected.size());
            assertEquals("w1", ((TextMessage) selected.get(0)).getText());
            MessageConsumer consumer = s.createConsumer(q);
            for (int i = 0; i < 3; i++) {
                assertEquals("w" + i, JmsTestSupport.receive(consumer, TextMessage.class).getText());
            }
            assertEquals(0, Collections.list(all.getEnumeration()).size());
            all.close();
            assertThrows(jakarta.jms.IllegalStateException.class, all::getEnumeration);
        }
    }

    @Test
    void browserSeesMessagesWaitingInThePrivateQueue() throws Exception {
        try (Connection c = JmsTestSupport.started(factory()); Connection p = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            Queue mine = s.createQueue(privateGroup(c));
            Session ps = p.createSession();
            ps.createProducer(ps.createQueue(privateGroup(c))).send(ps.createTextMessage("waiting"));
            awaitEarlierMessages(c, ps);
            List<?> seen = Collections.list(s.createBrowser(mine).getEnumeration());
            assertEquals(1, seen.size());
            assertEquals("waiting", ((TextMessage) seen.get(0)).getText());
        }
    }

    /**
     * Sends a marker from {@code sender} to a fresh temporary queue of {@code receiver} and waits for it: messages the
     * sender sent before it have then been routed by the receiver (one daemon, one socket, one dispatch thread).
     */
    private static void awaitEarlierMessages(Connection receiver, Session sender) throws Exception {
        Session rs = receiver.createSession();
        TemporaryQueue markers = rs.createTemporaryQueue();
        MessageConsumer consumer = rs.createConsumer(markers);
        sender.createProducer(markers).send(sender.createMessage());
        JmsTestSupport.receive(consumer, Message.class);
        rs.close();
    }
}
