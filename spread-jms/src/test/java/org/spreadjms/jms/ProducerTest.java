package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProducerTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private static SpreadConnectionFactory factory() {
        return JmsTestSupport.factory(daemon);
    }

    @Test
    void sendSetsHeadersOnTheMessageAndTheyArrive() throws Exception {
        try (Connection c = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("producer.headers"));
            MessageConsumer consumer = s.createConsumer(t);
            MessageProducer producer = s.createProducer(t);
            assertEquals(DeliveryMode.PERSISTENT, producer.getDeliveryMode());
            assertEquals(Message.DEFAULT_PRIORITY, producer.getPriority());
            TextMessage sent = s.createTextMessage("h");
            long before = System.currentTimeMillis();
            producer.send(sent, DeliveryMode.NON_PERSISTENT, 8, 0);
            assertNotNull(sent.getJMSMessageID());
            assertTrue(sent.getJMSMessageID().startsWith("ID:"));
            assertTrue(sent.getJMSTimestamp() >= before);
            assertEquals(t, sent.getJMSDestination());
            TextMessage got = JmsTestSupport.receive(consumer, TextMessage.class);
            assertEquals(sent.getJMSMessageID(), got.getJMSMessageID());
            assertEquals(sent.getJMSTimestamp(), got.getJMSTimestamp());
            assertEquals(8, got.getJMSPriority());
            assertEquals(DeliveryMode.NON_PERSISTENT, got.getJMSDeliveryMode());
            assertEquals(0, got.getJMSExpiration());
        }
    }

    @Test
    void asyncSendCallsTheCompletionListenerWithTheMessage() throws Exception {
        try (Connection c = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("producer.async"));
            MessageConsumer consumer = s.createConsumer(t);
            CompletableFuture<Message> completed = new CompletableFuture<>();
            TextMessage sent = s.createTextMessage("async");
            s.createProducer(t).send(sent, new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    completed.complete(message);
                }

                @Override
                public void onException(Message message, Exception exception) {
                    completed.completeExceptionally(exception);
                }
            });
            assertSame(sent, completed.get(5, TimeUnit.SECONDS));
            assertEquals("async", JmsTestSupport.receive(consumer, TextMessage.class).getText());
        }
    }

    @Test
    void deliveryDelayHoldsAMessageBackUntilItsDeliveryTime() throws Exception {
        try (Connection c = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("producer.delay"));
            MessageConsumer consumer = s.createConsumer(t);
            MessageProducer delayed = s.createProducer(t);
            delayed.setDeliveryDelay(600);
            assertEquals(600, delayed.getDeliveryDelay());
            TextMessage late = s.createTextMessage("late");
            delayed.send(late);
            s.createProducer(t).send(s.createTextMessage("now"));
            assertEquals("now", JmsTestSupport.receive(consumer, TextMessage.class).getText());
            TextMessage got = JmsTestSupport.receive(consumer, TextMessage.class);
            assertEquals("late", got.getText());
            assertTrue(System.currentTimeMillis() >= got.getJMSDeliveryTime());
            assertTrue(got.getJMSDeliveryTime() >= late.getJMSTimestamp() + 600);
        }
    }

    @Test
    void expiredMessagesAreNotDelivered() throws Exception {
        try (Connection c = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("producer.ttl"));
            MessageConsumer consumer = s.createConsumer(t);
            MessageProducer producer = s.createProducer(t);
            // expires (send + 50 ms) long before it may be delivered (send + 400 ms)
            producer.setTimeToLive(50);
            producer.setDeliveryDelay(400);
            producer.send(s.createTextMessage("expired"));
            MessageProducer marker = s.createProducer(t);
            marker.setDeliveryDelay(600);
            marker.send(s.createTextMessage("marker"));
            assertEquals("marker", JmsTestSupport.receive(consumer, TextMessage.class).getText());
            producer.setDeliveryDelay(0);
            producer.setTimeToLive(60_000);
            TextMessage alive = s.createTextMessage("alive");
            producer.send(alive);
            TextMessage got = JmsTestSupport.receive(consumer, TextMessage.class);
            assertEquals("alive", got.getText());
            assertEquals(alive.getJMSTimestamp() + 60_000, got.getJMSExpiration());
        }
    }

    @Test
    void expiredMessagesWaitingInAStoppedConnectionAreDropped() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("producer.ttlstopped"));
            MessageConsumer consumer = s.createConsumer(t);
            MessageProducer producer = s.createProducer(t);
            producer.send(s.createTextMessage("short"), DeliveryMode.NON_PERSISTENT, 4, 1);
            producer.send(s.createTextMessage("long"), DeliveryMode.NON_PERSISTENT, 4, 60_000);
            // receive(timeout) on an idle queue as a clock: let "short" (1 ms to live) expire
            MessageConsumer clock = c.createSession().createConsumer(c.createSession().createTemporaryQueue());
            assertNull(clock.receive(50));
            c.start();
            assertEquals("long", JmsTestSupport.receive(consumer, TextMessage.class).getText());
            assertNull(consumer.receiveNoWait());
        }
    }

    @Test
    void disabledMessageIdAndTimestampAreNotSet() throws Exception {
        try (Connection c = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            Queue q = s.createTemporaryQueue();
            MessageConsumer consumer = s.createConsumer(q);
            MessageProducer producer = s.createProducer(q);
            producer.setDisableMessageID(true);
            producer.setDisableMessageTimestamp(true);
            TextMessage sent = s.createTextMessage("anon");
            producer.send(sent);
            assertNull(sent.getJMSMessageID());
            assertEquals(0, sent.getJMSTimestamp());
            TextMessage got = JmsTestSupport.receive(consumer, TextMessage.class);
            assertNull(got.getJMSMessageID());
            assertEquals(0, got.getJMSTimestamp());
        }
    }

    @Test
    void invalidDeliveryModeAndPriorityAreRefused() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageProducer producer = s.createProducer(s.createTopic("producer.bad"));
            assertThrows(JMSException.class, () -> producer.setDeliveryMode(7));
            assertThrows(JMSException.class, () -> producer.setPriority(10));
            assertThrows(JMSException.class, () -> producer.send(s.createMessage(), 3, 4, 0));
        }
    }

    @Test
    void nullDestinationsFailAsTheSpecificationSays() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageProducer anonymous = s.createProducer(null);
            assertNull(anonymous.getDestination());
            assertThrows(InvalidDestinationException.class, () -> anonymous.send(null, s.createMessage()));
            assertThrows(UnsupportedOperationException.class, () -> anonymous.send(s.createMessage()));
            MessageProducer fixed = s.createProducer(s.createTopic("producer.fixed"));
            assertThrows(UnsupportedOperationException.class,
                    () -> fixed.send(s.createTopic("producer.other"), s.createMessage()));
            assertThrows(InvalidDestinationException.class, () -> s.createConsumer(null));
            assertThrows(InvalidDestinationException.class, () -> s.createTopic(""));
            assertThrows(InvalidDestinationException.class, () -> s.createQueue(""));
            assertThrows(InvalidDestinationException.class, () -> s.createQueue("#not-a-private-group"));
            assertThrows(InvalidDestinationException.class, () -> s.createTopic("x?unknownOption=1"));
        }
    }

    @Test
    void messageOverTheSizeLimitIsAMessageFormatExceptionAndTheConnectionStillWorks() throws Exception {
        try (Connection c = JmsTestSupport.started(JmsTestSupport.factory(daemon, "maxMessageBytes=100000"))) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("producer.big"));
            MessageConsumer consumer = s.createConsumer(t);
            MessageProducer producer = s.createProducer(t);
            BytesMessage big = s.createBytesMessage();
            big.writeBytes(new byte[200_000]);
            assertThrows(MessageFormatException.class, () -> producer.send(big));
            producer.send(s.createTextMessage("small"));
            assertEquals("small", JmsTestSupport.receive(consumer, TextMessage.class).getText());
        }
    }

    @Test
    void aNullMessageIsAMessageFormatException() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageProducer producer = s.createProducer(s.createTopic("producer.null"));
            assertThrows(MessageFormatException.class, () -> producer.send(null));
        }
    }

    @Test
    void closedProducerIsIllegalState() throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession();
            MessageProducer producer = s.createProducer(s.createTopic("producer.closed"));
            producer.close();
            producer.close();
            assertThrows(IllegalStateException.class, () -> producer.send(s.createMessage()));
            assertThrows(IllegalStateException.class, producer::getDeliveryMode);
            assertThrows(IllegalStateException.class, () -> producer.setPriority(1));
            assertThrows(IllegalStateException.class, producer::getDestination);
        }
    }
}
