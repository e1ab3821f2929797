package org.spreadjms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/** Request/reply across connections: temporary queues and topics, JMSContext, competing servers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestReplyTest {
    private static final long WAIT_MILLIS = 10_000;

    /** A server on its own connection that answers every request on {@code queue} with "name:TEXT". */
    private static Connection server(SpreadTarget target, String queue, String name, Map<String, String> servedBy)
            throws JMSException {
        Connection c = target.factory().createConnection();
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageProducer replies = s.createProducer(null);
        s.createConsumer(s.createQueue(queue)).setMessageListener(m -> {
            try {
                String text = ((TextMessage) m).getText();
                if (servedBy != null && servedBy.put(text, name) != null) {
                    servedBy.put(text, "TWICE");
                }
                TextMessage reply = s.createTextMessage(name + ":" + text.toUpperCase());
                reply.setJMSCorrelationID(m.getJMSMessageID());
                replies.send(m.getJMSReplyTo(), reply);
            } catch (JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        c.start();
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @ArgumentsSource(SpreadTargets.class)
    void roundTripsOverATemporaryQueueAreCorrelated(SpreadTarget target) throws Exception {
        String queue = SpreadTarget.unique("it.rr");
        try (Connection server = server(target, queue, "s", null);
             Connection client = target.factory().createConnection()) {
            Session cs = client.createSession(Session.AUTO_ACKNOWLEDGE);
            client.start();
            assertReplies(cs, cs.createTemporaryQueue(), queue, 50);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ArgumentsSource(SpreadTargets.class)
    void repliesCanGoToATemporaryTopic(SpreadTarget target) throws Exception {
        String queue = SpreadTarget.unique("it.rrt");
        try (Connection server = server(target, queue, "s", null);
             Connection client = target.factory().createConnection()) {
            Session cs = client.createSession(Session.AUTO_ACKNOWLEDGE);
            client.start();
            assertReplies(cs, cs.createTemporaryTopic(), queue, 10);
        }
    }

    private static void assertReplies(Session cs, Destination replyTo, String queue, int n) throws Exception {
        MessageConsumer replies = cs.createConsumer(replyTo);
        MessageProducer requests = cs.createProducer(cs.createQueue(queue));
        for (int i = 0; i < n; i++) {
            TextMessage request = cs.createTextMessage("req " + i);
            request.setJMSReplyTo(replyTo);
            requests.send(request);
            TextMessage reply = assertInstanceOf(TextMessage.class, replies.receive(WAIT_MILLIS));
            assertEquals("s:REQ " + i, reply.getText());
            assertEquals(request.getJMSMessageID(), reply.getJMSCorrelationID());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ArgumentsSource(SpreadTargets.class)
    void jmsContextRequestReply(SpreadTarget target) throws Exception {
        String queue = SpreadTarget.unique("it.rrctx");
        try (Connection server = server(target, queue, "ctx", null);
             JMSContext ctx = target.factory().createContext()) {
            var replyTo = ctx.createTemporaryQueue();
            JMSConsumer replies = ctx.createConsumer(replyTo);
            ctx.createProducer().setJMSReplyTo(replyTo).send(ctx.createQueue(queue), "hello");
            assertEquals("ctx:HELLO", replies.receiveBody(String.class, WAIT_MILLIS));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ArgumentsSource(SpreadTargets.class)
    void competingServersAnswerEachRequestOnce(SpreadTarget target) throws Exception {
        String queue = SpreadTarget.unique("it.rrpool");
        Map<String, String> servedBy = new ConcurrentHashMap<>();
        List<Connection> servers = new ArrayList<>();
        try (Connection client = target.factory().createConnection()) {
            for (int i = 0; i < 3; i++) {
                servers.add(server(target, queue, "s" + i, servedBy));
            }
            Session cs = client.createSession(Session.AUTO_ACKNOWLEDGE);
            Destination replyTo = cs.createTemporaryQueue();
            MessageConsumer replies = cs.createConsumer(replyTo);
            client.start();
            MessageProducer requests = cs.createProducer(cs.createQueue(queue));
            int n = 60;
            for (int i = 0; i < n; i++) {
                TextMessage request = cs.createTextMessage("job " + i);
                request.setJMSReplyTo(replyTo);
                requests.send(request);
            }
            for (int i = 0; i < n; i++) {
                assertInstanceOf(TextMessage.class, replies.receive(WAIT_MILLIS), "reply " + i);
            }
            assertEquals(n, servedBy.size());
            assertTrue(servedBy.values().stream().noneMatch("TWICE"::equals), servedBy::toString);
            assertTrue(servedBy.values().stream().distinct().count() >= 2, "load spread: " + servedBy);
        } finally {
            for (Connection s : servers) {
                s.close();
            }
        }
    }
}
