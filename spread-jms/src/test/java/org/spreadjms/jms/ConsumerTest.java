package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConsumerTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private static SpreadConnectionFactory factory() {
        return JmsTestSupport.factory(daemon);
    }

    @Test
    void receiveWaitsForAMessageSentLater() throws Exception {
        try (Connection c = JmsTestSupport.started(factory()); Connection p = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("consumer.receive"));
            MessageConsumer consumer = s.createConsumer(t);
            Session ps = p.createSession();
            CompletableFuture<Message> received = CompletableFuture.supplyAsync(() -> {
                try {
                    return consumer.receive();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            ps.createProducer(t).send(ps.createTextMessage("blocking"));
            assertEquals("blocking", ((TextMessage) received.get(5, TimeUnit.SECONDS)).getText());
        }
    }

    @Test
    void receiveWithTimeoutAndNoWaitReturnNullWhenNothingArrives() throws Exception {
        try (Connection c = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createTopic(JmsTestSupport.unique("consumer.empty")));
            long start = System.nanoTime();
            assertNull(consumer.receive(200));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(190));
            assertNull(consumer.receiveNoWait());
        }
    }

    @Test
    void closingAConsumerWakesABlockedReceiveWithNull() throws Exception {
        try (Connection c = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createTopic(JmsTestSupport.unique("consumer.wake")));
            CompletableFuture<Message> received = CompletableFuture.supplyAsync(() -> {
                try {
                    return consumer.receive();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertThrows(java.util.concurrent.TimeoutException.class, () -> received.get(100, TimeUnit.MILLISECONDS));
            consumer.close();
            assertNull(received.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void messageListenerGetsMessagesInOrder() throws Exception {
        try (Connection c = JmsTestSupport.started(factory()); Connection p = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("consumer.listener"));
            List<String> got = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch all = new CountDownLatch(20);
            s.createConsumer(t).setMessageListener(m -> {
                try {
                    got.add(((TextMessage) m).getText());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
                all.countDown();
            });
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(t);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sent.add("m" + i);
                producer.send(ps.createTextMessage("m" + i));
            }
            assertTrue(all.await(5, TimeUnit.SECONDS));
            assertEquals(sent, got);
        }
    }

    @Test
    void receiveOnAConsumerWithAListenerIsIllegalState() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createTopic("consumer.both"));
            consumer.setMessageListener(m -> { });
            assertThrows(IllegalStateException.class, consumer::receive);
            assertThrows(IllegalStateException.class, () -> consumer.receive(10));
            assertThrows(IllegalStateException.class, consumer::receiveNoWait);
        }
    }

    @Test
    void noLocalConsumerDoesNotSeeItsOwnConnectionsMessages() throws Exception {
        try (Connection c = JmsTestSupport.started(factory()); Connection p = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("consumer.nolocal"));
            MessageConsumer noLocal = s.createConsumer(t, null, true);
            MessageConsumer all = s.createConsumer(t);
            s.createProducer(t).send(s.createTextMessage("own"));
            Session ps = p.createSession();
            ps.createProducer(t).send(ps.createTextMessage("foreign"));
            // FIFO orders per sender only, so the two may arrive in either order
            assertEquals(java.util.Set.of("own", "foreign"), java.util.Set.of(
                    JmsTestSupport.receive(all, TextMessage.class).getText(),
                    JmsTestSupport.receive(all, TextMessage.class).getText()));
            assertEquals("foreign", JmsTestSupport.receive(noLocal, TextMessage.class).getText());
            assertNull(noLocal.receiveNoWait());
            assertTrue(((jakarta.jms.TopicSubscriber) noLocal).getNoLocal());
        }
    }

    @Test
    void selectorsUseTheFullGrammarOverPropertiesAndHeaders() throws Exception {
        try (Connection c = JmsTestSupport.started(factory()); Connection p = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("consumer.selector"));
            String selector = "(color IN ('red', 'green') AND weight BETWEEN 10 AND 20 AND name LIKE 'a\\_%' ESCAPE '\\')"
                    + " OR (JMSPriority > 7 AND JMSType = 'urgent' AND note IS NULL AND NOT (price * 2 >= 10))";
            MessageConsumer consumer = s.createConsumer(t, selector);
            assertEquals(selector, consumer.getMessageSelector());
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(t);
            producer.send(message(ps, "match1", "red", 15, "a_b", 0));
            producer.send(message(ps, "no-like", "red", 15, "ab", 0));
            producer.send(message(ps, "no-range", "green", 21, "a_x", 0));
            TextMessage urgent = message(ps, "match2", "blue", 0, "z", 4.9);
            urgent.setJMSType("urgent");
            producer.send(urgent, jakarta.jms.DeliveryMode.NON_PERSISTENT, 9, 0);
            TextMessage cheapNotUrgent = message(ps, "no-prio", "blue", 0, "z", 1);
            cheapNotUrgent.setJMSType("urgent");
            producer.send(cheapNotUrgent, jakarta.jms.DeliveryMode.NON_PERSISTENT, 5, 0);
            // match2 has priority 9: when both are buffered it comes first (expedited), else in send order
            java.util.Set<String> got = new java.util.HashSet<>();
            got.add(JmsTestSupport.receive(consumer, TextMessage.class).getText());
            got.add(JmsTestSupport.receive(consumer, TextMessage.class).getText());
            assertEquals(java.util.Set.of("match1", "match2"), got);
            assertNull(consumer.receive(JmsTestSupport.ABSENT_MS));
        }
    }

    private static TextMessage message(Session s, String text, String color, int weight, String name, double price)
            throws Exception {
        TextMessage m = s.createTextMessage(text);
        m.setStringProperty("color", color);
        m.setIntProperty("weight", weight);
        m.setStringProperty("name", name);
        m.setDoubleProperty("price", price);
        return m;
    }

    @Test
    void badSelectorIsInvalidSelectorExceptionAtCreateConsumer() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Topic t = s.createTopic("consumer.badselector");
            assertThrows(InvalidSelectorException.class, () -> s.createConsumer(t, "color = "));
            assertThrows(InvalidSelectorException.class, () -> s.createConsumer(t, "color == 'x'", false));
            assertThrows(InvalidSelectorException.class, () -> s.createSharedConsumer(t, "sub", "AND OR"));
            assertThrows(InvalidSelectorException.class, () -> s.createBrowser(s.createQueue("q"), "x LIKE"));
        }
    }

    @Test
    void closedConsumerIsIllegalStateAndCloseIsIdempotent() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createTopic("consumer.closed"));
            consumer.close();
            consumer.close();
            assertThrows(IllegalStateException.class, consumer::receive);
            assertThrows(IllegalStateException.class, consumer::receiveNoWait);
            assertThrows(IllegalStateException.class, consumer::getMessageSelector);
            assertThrows(IllegalStateException.class, () -> consumer.setMessageListener(null));
        }
    }

    @Test
    void aClosedConsumerNoLongerTakesMessages() throws Exception {
        try (Connection c = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("consumer.gone"));
            MessageConsumer first = s.createConsumer(t);
            MessageConsumer second = s.createConsumer(t);
            first.close();
            s.createProducer(t).send(s.createTextMessage("x"));
            assertEquals("x", JmsTestSupport.receive(second, TextMessage.class).getText());
        }
    }
}
