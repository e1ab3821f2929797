package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSConsumer;
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

/** Named queues and shared subscriptions: each message to exactly one consumer while membership is stable. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CompetingConsumersTest {
    private static final int MESSAGES = 90;

    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private static SpreadConnectionFactory factory() {
        return JmsTestSupport.factory(daemon);
    }

    @Test
    void namedQueueGivesEveryMessageToExactlyOneConsumerAcrossThreeConnections() throws Exception {
        List<Connection> connections = new ArrayList<>();
        try {
            List<MessageConsumer> consumers = new ArrayList<>();
            String name = JmsTestSupport.unique("work");
            for (int i = 0; i < 3; i++) {
                Connection c = JmsTestSupport.started(factory());
                connections.add(c);
                Session s = c.createSession();
                consumers.add(s.createConsumer(s.createQueue(name)));
            }
            // a second consumer on one connection competes too
            consumers.add(connections.get(0).createSession().createConsumer(
                    connections.get(0).createSession().createQueue(name)));
            Connection p = JmsTestSupport.started(factory());
            connections.add(p);
            Session ps = p.createSession();
            sendNumbered(ps.createProducer(ps.createQueue(name)), ps);
            Map<String, Integer> counts = collect(consumers);
            assertEachOnce(counts);
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    @Test
    void sharedSubscriptionGivesEachMessageToOneOfItsConsumersAndAllToPlainSubscribers() throws Exception {
        try (Connection a = JmsTestSupport.started(factory()); Connection b = JmsTestSupport.started(factory());
             Connection p = JmsTestSupport.started(factory())) {
            String topicName = JmsTestSupport.unique("shared.topic");
            Session as = a.createSession();
            Session bs = b.createSession();
            Topic t = as.createTopic(topicName);
            MessageConsumer sharedA = as.createSharedConsumer(t, "billing");
            MessageConsumer sharedB = bs.createSharedConsumer(bs.createTopic(topicName), "billing");
            MessageConsumer plain = bs.createConsumer(bs.createTopic(topicName));
            MessageConsumer otherSub = as.createSharedConsumer(t, "audit");
            Session ps = p.createSession();
            sendNumbered(ps.createProducer(ps.createTopic(topicName)), ps);
            Map<String, Integer> counts = collect(List.of(sharedA, sharedB));
            assertEachOnce(counts);
            assertEquals(MESSAGES, collect(List.of(plain)).size());
            assertEquals(MESSAGES, collect(List.of(otherSub)).size());
        }
    }

    @Test
    void sharedConsumersOfJmsContextsShareTheSubscription() throws Exception {
        try (JMSContext a = factory().createContext(); JMSContext b = factory().createContext();
             JMSContext p = factory().createContext()) {
            Topic t = a.createTopic(JmsTestSupport.unique("shared.ctx"));
            JMSConsumer ca = a.createSharedConsumer(t, "s");
            JMSConsumer cb = b.createSharedConsumer(t, "s");
            for (int i = 0; i < 20; i++) {
                p.createProducer().send(t, "m" + i);
            }
            int total = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (total < 20 && System.nanoTime() < deadline) {
                total += ca.receiveNoWait() != null ? 1 : 0;
                total += cb.receive(20) != null ? 1 : 0;
            }
            assertEquals(20, total);
            assertNull(ca.receive(JmsTestSupport.ABSENT_MS));
            assertNull(cb.receiveNoWait());
        }
    }

    @Test
    void aConsumerJoiningASharedSubscriptionWhileMessagesFlowLosesAndDuplicatesNone() throws Exception {
        int flood = 1500;
        try (Connection a = JmsTestSupport.started(factory()); Connection b = JmsTestSupport.started(factory());
             Connection p = JmsTestSupport.started(factory())) {
            String topicName = JmsTestSupport.unique("shared.join");
            Session as = a.createSession();
            MessageConsumer sharedA = as.createSharedConsumer(as.createTopic(topicName), "s");
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(ps.createTopic(topicName));
            producer.setDeliveryMode(jakarta.jms.DeliveryMode.NON_PERSISTENT);
            java.util.concurrent.CountDownLatch flowing = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CompletableFuture<Void> sending = java.util.concurrent.CompletableFuture.runAsync(
                    () -> {
                        try {
                            for (int i = 0; i < flood; i++) {
                                producer.send(ps.createTextMessage("f" + i));
                                if (i == 100) {
                                    flowing.countDown();
                                }
                            }
                        } catch (jakarta.jms.JMSException e) {
                            throw new RuntimeException(e);
                        }
                    });
            assertTrue(flowing.await(5, TimeUnit.SECONDS));
            Session bs = b.createSession();
            MessageConsumer sharedB = bs.createSharedConsumer(bs.createTopic(topicName), "s");
            sending.get(10, TimeUnit.SECONDS);
            Map<String, Integer> counts = new HashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (counts.values().stream().mapToInt(Integer::intValue).sum() < flood
                    && System.nanoTime() < deadline) {
                for (MessageConsumer c : List.of(sharedA, sharedB)) {
                    Message m = c.receive(5);
                    if (m != null) {
                        counts.merge(((TextMessage) m).getText(), 1, Integer::sum);
                    }
                }
            }
            assertEquals(flood, counts.size(), "distinct messages received");
            assertTrue(counts.values().stream().allMatch(n -> n == 1), "duplicates");
        }
    }

    private static void sendNumbered(MessageProducer producer, Session s) throws Exception {
        for (int i = 0; i < MESSAGES; i++) {
            producer.send(s.createTextMessage("n" + i));
        }
    }

    /** Receives from all consumers until {@link #MESSAGES} arrived (or the deadline), then checks nothing follows. */
    private static Map<String, Integer> collect(List<MessageConsumer> consumers) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        int[] perConsumer = new int[consumers.size()];
        int total = 0;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JmsTestSupport.ARRIVES_MS);
        while (total < MESSAGES && System.nanoTime() < deadline) {
            for (int i = 0; i < consumers.size(); i++) {
                Message m = consumers.get(i).receive(10);
                if (m != null) {
                    counts.merge(((TextMessage) m).getText(), 1, Integer::sum);
                    perConsumer[i]++;
                    total++;
                }
            }
        }
        for (MessageConsumer c : consumers) {
            assertNull(c.receive(JmsTestSupport.ABSENT_MS / consumers.size()), "more than " + MESSAGES
                    + " messages");
        }
        return counts;
    }

    private static void assertEachOnce(Map<String, Integer> counts) {
        assertEquals(MESSAGES, counts.size(), "distinct messages received");
        assertTrue(counts.values().stream().allMatch(n -> n == 1), "duplicates: " + counts);
    }
}
