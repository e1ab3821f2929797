package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/**
 * Issue 13, item 7: rules of Jakarta Messaging 3.1 that a conformance run found broken (sections 6.2, 6.2.10, 6.2.15,
 * 7.3.4, 8.6, 8.7), each in the shape the conformance tests use.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConformanceRulesTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private static SpreadConnectionFactory factory() {
        return JmsTestSupport.factory(daemon);
    }

    /**
     * 6.2.10 and 8.7 (autoAckMsgListenerQueueTest/TopicTest): recover() from an AUTO_ACKNOWLEDGE listener brings back
     * the message it is processing, marked redelivered; the message acknowledged before does not come back.
     */
    @Test
    void recoverInsideAnAutoAckListenerRedeliversTheCurrentMessageOnQueueAndTopic() throws Exception {
        for (boolean queue : new boolean[] {true, false}) {
            try (Connection c = factory().createConnection()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Destination d = queue ? s.createQueue(JmsTestSupport.unique("recoverq"))
                        : s.createTopic(JmsTestSupport.unique("recovert"));
                MessageConsumer consumer = s.createConsumer(d);
                List<String> seen = new CopyOnWriteArrayList<>();
                CountDownLatch done = new CountDownLatch(1);
                consumer.setMessageListener(m -> {
                    try {
                        boolean last = m.getBooleanProperty("lastMessage");
                        seen.add(last + "/" + m.getJMSRedelivered());
                        if (last && !m.getJMSRedelivered()) {
                            s.recover();
                        } else if (last) {
                            done.countDown();
                        }
                    } catch (JMSException e) {
                        seen.add(e.toString());
                    }
                });
                MessageProducer p = s.createProducer(d);
                Message m = s.createMessage();
                m.setBooleanProperty("lastMessage", false);
                p.send(m);
                m.setBooleanProperty("lastMessage", true);
                p.send(m);
                c.start();
                assertTrue(done.await(JmsTestSupport.ARRIVES_MS, TimeUnit.MILLISECONDS), "seen " + seen);
                assertEquals(List.of("false/false", "true/false", "true/true"), seen, queue ? "queue" : "topic");
            }
        }
    }

    /** 6.2 and 6.2.15 (transactionRollbackOnSessionCloseRecQTest): closing a transacted session rolls back. */
    @Test
    void closingATransactedSessionGivesItsMessagesToTheNextConsumerOfTheQueueOnTheSameConnection() throws Exception {
        try (Connection c = JmsTestSupport.started(factory())) {
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            Queue q = tx.createQueue(JmsTestSupport.unique("txclose"));
            MessageConsumer consumer = tx.createConsumer(q);
            tx.createProducer(q).send(tx.createTextMessage("part 2"));
            tx.commit();
            TextMessage first = JmsTestSupport.receive(consumer, TextMessage.class);
            Session next = c.createSession(true, Session.SESSION_TRANSACTED);
            tx.close();
            assertEquals("part 2", first.getText(), "received messages stay readable after close");
            TextMessage again = JmsTestSupport.receive(next.createConsumer(q), TextMessage.class);
            next.commit();
            assertEquals("part 2", again.getText());
            assertTrue(again.getJMSRedelivered());
        }
    }

    /** 6.2.15 (commitAckMsgQueueTest, rollbackRecoverQueueTest): what the closed session had not consumed returns. */
    @Test
    void afterCommitOrRollbackAndCloseTheRemainingMessagesGoToTheNextSession() throws Exception {
        try (Connection c = JmsTestSupport.started(factory())) {
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            Queue q = tx.createQueue(JmsTestSupport.unique("txrest"));
            MessageConsumer consumer = tx.createConsumer(q);
            MessageProducer p = tx.createProducer(q);
            p.send(tx.createTextMessage("one"));
            tx.commit();
            p.send(tx.createTextMessage("two"));
            tx.commit();
            assertEquals("one", JmsTestSupport.receive(consumer, TextMessage.class).getText());
            tx.commit(); // "two" may sit in the consumer's buffer: it was never delivered
            tx.close();
            Session auto = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer next = auto.createConsumer(q);
            assertEquals("two", JmsTestSupport.receive(next, TextMessage.class).getText());
            assertNull(next.receive(JmsTestSupport.ABSENT_MS), "'one' was committed");

            Session tx2 = c.createSession(true, Session.SESSION_TRANSACTED);
            next.close();
            MessageConsumer c2 = tx2.createConsumer(q);
            tx2.createProducer(q).send(tx2.createTextMessage("three"));
            tx2.commit();
            assertEquals("three", JmsTestSupport.receive(c2, TextMessage.class).getText());
            tx2.rollback();
            tx2.close();
            MessageConsumer c3 = auto.createConsumer(q);
            assertEquals("three", JmsTestSupport.receive(c3, TextMessage.class).getText());
        }
    }

    /** 6.2 and 6.2.15: closing a CLIENT_ACKNOWLEDGE session does not acknowledge; the queue keeps the message. */
    @Test
    void closingAClientAckSessionWithoutAcknowledgingRedeliversToTheNextConsumer() throws Exception {
        try (Connection c = JmsTestSupport.started(factory()); Connection p = factory().createConnection()) {
            Session cs = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue q = cs.createQueue(JmsTestSupport.unique("clientclose"));
            MessageConsumer consumer = cs.createConsumer(q);
            Session ps = p.createSession();
            ps.createProducer(q).send(ps.createTextMessage("keep me"));
            assertEquals("keep me", JmsTestSupport.receive(consumer, TextMessage.class).getText());
            cs.close();
            Session again = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            TextMessage m = JmsTestSupport.receive(again.createConsumer(q), TextMessage.class);
            assertEquals("keep me", m.getText());
            assertTrue(m.getJMSRedelivered());
            assertEquals(2, m.getIntProperty("JMSXDeliveryCount"));
            m.acknowledge();
        }
    }

    /** 7.3.4: a CompletionListener must not close or commit what it belongs to. */
    @Test
    void aCompletionListenerMayNotCloseItsProducerSessionOrConnectionNorCommit() throws Exception {
        try (Connection c = JmsTestSupport.started(factory())) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createTopic(JmsTestSupport.unique("completion")));
            CompletableFuture<List<String>> outcome = new CompletableFuture<>();
            p.send(s.createTextMessage("x"), new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    List<String> thrown = new CopyOnWriteArrayList<>();
                    for (String op : List.of("producer.close", "session.close", "session.commit", "session.rollback",
                            "connection.close")) {
                        try {
                            switch (op) {
                                case "producer.close" -> p.close();
                                case "session.close" -> s.close();
                                case "session.commit" -> s.commit();
                                case "session.rollback" -> s.rollback();
                                default -> c.close();
                            }
                            thrown.add(op + ": nothing");
                        } catch (IllegalStateException e) {
                            thrown.add(op + ": IllegalStateException");
                        } catch (JMSException | RuntimeException e) {
                            thrown.add(op + ": " + e);
                        }
                    }
                    outcome.complete(thrown);
                }

                @Override
                public void onException(Message message, Exception exception) {
                    outcome.completeExceptionally(exception);
                }
            });
            s.commit();
            List<String> thrown = outcome.get(JmsTestSupport.ARRIVES_MS, TimeUnit.MILLISECONDS);
            for (String t : thrown) {
                assertTrue(t.endsWith("IllegalStateException"), thrown.toString());
            }
            p.send(s.createTextMessage("the producer is still open"));
        }
    }

    /** 7.3.4 for JMSContext: close from its CompletionListener throws, stop does not. */
    @Test
    void aContextsCompletionListenerMayStopButNotCloseIt() throws Exception {
        try (JMSContext ctx = factory().createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            CompletableFuture<String> outcome = new CompletableFuture<>();
            ctx.createProducer().setAsync(new CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                    try {
                        ctx.stop();
                    } catch (RuntimeException e) {
                        outcome.complete("stop threw " + e);
                        return;
                    }
                    try {
                        ctx.close();
                        outcome.complete("close did not throw");
                    } catch (IllegalStateRuntimeException e) {
                        outcome.complete("ok");
                    }
                }

                @Override
                public void onException(Message message, Exception exception) {
                    outcome.completeExceptionally(exception);
                }
            }).send(ctx.createTopic(JmsTestSupport.unique("ctxcompletion")), "x");
            assertEquals("ok", outcome.get(JmsTestSupport.ARRIVES_MS, TimeUnit.MILLISECONDS));
        }
    }

    /** A message of another provider, as the conformance tests send to closed producers. */
    private static Message foreignMessage() {
        return (Message) Proxy.newProxyInstance(Message.class.getClassLoader(), new Class<?>[] {Message.class},
                (proxy, method, args) -> {
                    throw new AssertionError("the closed check must come first, but " + method.getName()
                            + " was called");
                });
    }

    @Test
    void everySendOfAClosedProducerSessionOrConnectionThrowsIllegalStateExceptionFirst() throws Exception {
        for (String closedThing : List.of("producer", "session", "connection")) {
            Connection c = factory().createConnection();
            Session s = c.createSession();
            Queue q = s.createQueue(JmsTestSupport.unique("closedsend"));
            MessageProducer p = s.createProducer(q);
            switch (closedThing) {
                case "producer" -> p.close();
                case "session" -> s.close();
                default -> c.close();
            }
            Message m = foreignMessage();
            assertThrows(IllegalStateException.class, () -> p.send(m), closedThing);
            assertThrows(IllegalStateException.class, () -> p.send(m, 1, 4, 0), closedThing);
            assertThrows(IllegalStateException.class, () -> ((jakarta.jms.QueueSender) p).send(q, m), closedThing);
            assertThrows(IllegalStateException.class, () -> ((jakarta.jms.TopicPublisher) p).publish(m), closedThing);
            assertThrows(IllegalStateException.class, () -> ((jakarta.jms.TopicPublisher) p).publish(m, 1, 4, 0),
                    closedThing);
            c.close();
        }
    }

    /** 8.6: receiveBody of the wrong type in AUTO_ACKNOWLEDGE is as if it had not happened: not a redelivery. */
    @Test
    void receiveBodyOfTheWrongTypeLeavesTheMessageFirstAndUnmarked() throws Exception {
        try (JMSContext ctx = factory().createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            Queue q = ctx.createQueue(JmsTestSupport.unique("receivebody"));
            JMSConsumer consumer = ctx.createConsumer(q);
            ctx.createProducer().send(q, "text body");
            ctx.createProducer().send(q, "second");
            assertThrows(MessageFormatRuntimeException.class,
                    () -> consumer.receiveBody(Boolean.class, JmsTestSupport.ARRIVES_MS));
            assertThrows(MessageFormatRuntimeException.class,
                    () -> consumer.receiveBody(Integer.class, JmsTestSupport.ARRIVES_MS));
            Message m = consumer.receive(JmsTestSupport.ARRIVES_MS);
            assertNotNull(m);
            assertEquals("text body", m.getBody(String.class));
            assertFalse(m.getJMSRedelivered(), "not a redelivery (8.6)");
            assertEquals(1, m.getIntProperty("JMSXDeliveryCount"));
            assertEquals("second", consumer.receiveBody(String.class, JmsTestSupport.ARRIVES_MS));
        }
    }
}
