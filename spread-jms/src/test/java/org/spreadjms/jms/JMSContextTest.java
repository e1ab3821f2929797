package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.jms.CompletionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JMSContextTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private static SpreadConnectionFactory factory() {
        return JmsTestSupport.factory(daemon);
    }

    @Test
    void producerPropertiesAndHeadersReachTheConsumerAndReceiveBodyReturnsTheBody() throws Exception {
        try (JMSContext ctx = factory().createContext()) {
            Topic t = ctx.createTopic(JmsTestSupport.unique("ctx.body"));
            JMSConsumer consumer = ctx.createConsumer(t);
            JMSProducer producer = ctx.createProducer().setProperty("color", "red").setJMSType("t1")
                    .setJMSCorrelationID("c1").setPriority(6);
            producer.send(t, "text body");
            Message m = consumer.receive(JmsTestSupport.ARRIVES_MS);
            assertEquals("text body", m.getBody(String.class));
            assertEquals("red", m.getStringProperty("color"));
            assertEquals("t1", m.getJMSType());
            assertEquals("c1", m.getJMSCorrelationID());
            assertEquals(6, m.getJMSPriority());
            producer.send(t, Map.of("k", 1));
            assertEquals(Map.of("k", 1), consumer.receiveBody(Map.class, JmsTestSupport.ARRIVES_MS));
            producer.send(t, new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, consumer.receiveBody(byte[].class, JmsTestSupport.ARRIVES_MS));
            producer.send(t, 42L);
            assertEquals(42L, consumer.receiveBody(Long.class, JmsTestSupport.ARRIVES_MS));
            producer.send(t, "wrong type");
            assertThrows(MessageFormatRuntimeException.class,
                    () -> consumer.receiveBody(Long.class, JmsTestSupport.ARRIVES_MS));
            // the message of the wrong type was not consumed: it comes again, and that is not a redelivery (8.6)
            Message again = consumer.receive(JmsTestSupport.ARRIVES_MS);
            assertEquals("wrong type", again.getBody(String.class));
            assertFalse(again.getJMSRedelivered());
            assertNull(consumer.receiveBodyNoWait(String.class));
        }
    }

    @Test
    void autoStartOffLeavesTheConnectionStoppedUntilStart() throws Exception {
        try (JMSContext ctx = factory().createContext(); JMSContext p = factory().createContext()) {
            ctx.setAutoStart(false);
            assertFalse(ctx.getAutoStart());
            Topic t = ctx.createTopic(JmsTestSupport.unique("ctx.autostart"));
            JMSConsumer consumer = ctx.createConsumer(t);
            p.createProducer().send(t, "waiting");
            assertNull(consumer.receive(JmsTestSupport.ABSENT_MS));
            ctx.start();
            assertEquals("waiting", consumer.receiveBody(String.class, JmsTestSupport.ARRIVES_MS));
        }
    }

    @Test
    void createContextSharesTheConnectionWhichClosesWithTheLastContext() throws Exception {
        JMSContext first = factory().createContext();
        JMSContext second = first.createContext(JMSContext.CLIENT_ACKNOWLEDGE);
        assertEquals(JMSContext.CLIENT_ACKNOWLEDGE, second.getSessionMode());
        TemporaryQueue q = first.createTemporaryQueue();
        // a temporary queue belongs to the connection, so the other context may consume from it
        JMSConsumer consumer = second.createConsumer(q);
        first.createProducer().send(q, "shared");
        assertEquals("shared", consumer.receiveBody(String.class, JmsTestSupport.ARRIVES_MS));
        first.close();
        assertThrows(IllegalStateRuntimeException.class, first::createProducer);
        second.createProducer().send(q, "still open");
        assertEquals("still open", consumer.receiveBody(String.class, JmsTestSupport.ARRIVES_MS));
        second.close();
        assertThrows(IllegalStateRuntimeException.class, () -> consumer.receive(10));
    }

    @Test
    void transactedContextHoldsSendsUntilCommit() throws Exception {
        try (JMSContext tx = factory().createContext(JMSContext.SESSION_TRANSACTED);
             JMSContext c = factory().createContext()) {
            Topic t = c.createTopic(JmsTestSupport.unique("ctx.tx"));
            JMSConsumer consumer = c.createConsumer(t);
            tx.createProducer().send(t, "dropped");
            tx.rollback();
            tx.createProducer().send(t, "kept");
            assertNull(consumer.receive(JmsTestSupport.ABSENT_MS));
            tx.commit();
            assertEquals("kept", consumer.receiveBody(String.class, JmsTestSupport.ARRIVES_MS));
            assertNull(consumer.receive(JmsTestSupport.ABSENT_MS));
        }
    }

    @Test
    void asyncSendCompletes() throws Exception {
        try (JMSContext ctx = factory().createContext()) {
            Topic t = ctx.createTopic(JmsTestSupport.unique("ctx.async"));
            JMSConsumer consumer = ctx.createConsumer(t);
            CompletableFuture<Message> done = new CompletableFuture<>();
            ctx.createProducer().setAsync(new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    done.complete(message);
                }

                @Override
                public void onException(Message message, Exception exception) {
                    done.completeExceptionally(exception);
                }
            }).send(t, "async");
            assertEquals("async", ((TextMessage) done.get(5, TimeUnit.SECONDS)).getText());
            assertEquals("async", consumer.receiveBody(String.class, JmsTestSupport.ARRIVES_MS));
        }
    }

    @Test
    void misuseRaisesTheRuntimeExceptionTypes() throws Exception {
        try (JMSContext ctx = factory().createContext()) {
            Topic t = ctx.createTopic("ctx.misuse");
            assertThrows(InvalidDestinationRuntimeException.class, () -> ctx.createProducer().send(null, "x"));
            assertThrows(InvalidDestinationRuntimeException.class, () -> ctx.createTopic(""));
            assertThrows(InvalidSelectorRuntimeException.class, () -> ctx.createConsumer(t, "a = "));
            assertThrows(IllegalStateRuntimeException.class, ctx::commit);
            assertThrows(JMSRuntimeException.class, () -> ctx.createDurableConsumer(t, "d"));
            JMSConsumer consumer = ctx.createConsumer(t);
            consumer.setMessageListener(m -> { });
            assertThrows(IllegalStateRuntimeException.class, () -> consumer.receive(10));
            consumer.close();
            assertThrows(IllegalStateRuntimeException.class, consumer::receiveNoWait);
        }
        JMSContext closed = factory().createContext();
        closed.close();
        closed.close();
        assertThrows(IllegalStateRuntimeException.class, closed::createProducer);
        assertThrows(IllegalStateRuntimeException.class, () -> closed.createTopic("x"));
        assertThrows(IllegalStateRuntimeException.class, closed::start);
        assertThrows(JMSRuntimeException.class, () -> factory().createContext(99));
    }

    @Test
    void duplicateClientIdIsInvalidClientIdRuntimeException() {
        try (JMSContext a = factory().createContext(); JMSContext b = factory().createContext()) {
            a.setClientID("ctxdup");
            assertThrows(InvalidClientIDRuntimeException.class, () -> b.setClientID("ctxdup"));
            assertTrue(a.getClientID().equals("ctxdup"));
        }
    }
}
