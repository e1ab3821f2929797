package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;
import org.spreadjms.jms.destination.SpreadQueue;
import org.spreadjms.jms.destination.SpreadTopic;

/**
 * Issue 13, item 1: internal groups ({@code q~Q}, {@code s~T~S}, ...) live in a namespace no JMS name can reach. Before
 * the fix a topic {@code q~x} joined queue {@code x}'s group and swallowed about half of its messages.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReservedNamesTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    @Test
    void topicAndQueueNamesInTheInternalNamespaceAreRefusedNamingThePrefix() throws Exception {
        try (Connection c = JmsTestSupport.factory(daemon).createConnection()) {
            Session s = c.createSession();
            for (String name : new String[] {"q~x", "s~T~S", "tt~abc", "st~ctl", "sj~x"}) {
                InvalidDestinationException t = assertThrows(InvalidDestinationException.class,
                        () -> s.createTopic(name));
                assertTrue(t.getMessage().contains("reserved"), t.getMessage());
                assertThrows(InvalidDestinationException.class, () -> s.createQueue(name));
                assertThrows(InvalidDestinationException.class, () -> new SpreadTopic(name));
                assertThrows(InvalidDestinationException.class, () -> new SpreadQueue(name));
            }
        }
    }

    @Test
    void membershipAdvisoryOnAnInternalGroupIsRefused() throws Exception {
        try (Connection c = JmsTestSupport.factory(daemon).createConnection()) {
            Session s = c.createSession();
            assertThrows(InvalidDestinationException.class,
                    () -> s.createConsumer(s.createTopic("Spread.Membership.q~work")));
        }
    }

    @Test
    void namesThatOnlyLookSimilarStayUsable() throws Exception {
        try (Connection c = JmsTestSupport.factory(daemon).createConnection()) {
            Session s = c.createSession();
            for (String name : new String[] {"q", "qq~x", "x~q~y", "Q~x", "queue~x", "s"}) {
                assertEquals(name, s.createTopic(name).getTopicName());
                assertEquals(name, s.createQueue(name).getQueueName());
            }
        }
    }

    @Test
    void aQueueKeepsAllItsMessagesWhileTopicsOfSimilarNamesHaveSubscribers() throws Exception {
        String queue = JmsTestSupport.unique("rq");
        try (Connection consumerConn = JmsTestSupport.started(JmsTestSupport.factory(daemon));
             Connection other = JmsTestSupport.started(JmsTestSupport.factory(daemon));
             Connection producerConn = JmsTestSupport.started(JmsTestSupport.factory(daemon))) {
            Session os = other.createSession();
            // the closest legal neighbours of the queue's internal group name
            os.createConsumer(os.createTopic("q" + queue));
            os.createConsumer(os.createTopic(queue));
            Session cs = consumerConn.createSession();
            Queue q = cs.createQueue(queue);
            MessageConsumer consumer = cs.createConsumer(q);
            Session ps = producerConn.createSession();
            MessageProducer p = ps.createProducer(q);
            for (int i = 0; i < 100; i++) {
                p.send(ps.createTextMessage("m" + i));
            }
            Set<String> got = new HashSet<>();
            for (int i = 0; i < 100; i++) {
                Message m = consumer.receive(JmsTestSupport.ARRIVES_MS);
                assertNotNull(m, "message " + i + " of 100 did not arrive (got " + got.size() + ")");
                got.add(((TextMessage) m).getText());
            }
            assertEquals(100, got.size());
        }
    }
}
