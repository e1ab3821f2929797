package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/** What a producer sees when a named queue has no consumer: drop (default) or fail. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QueueNoConsumerPolicyTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private String uri(String options) {
        return JmsTestSupport.storeless("spread://127.0.0.1:" + daemon.port() + options);
    }

    @Test
    void dropPolicySendsAndTheMessageIsLost() throws Exception {
        SpreadConnectionFactory cf = new SpreadConnectionFactory(uri(""));
        try (Connection p = cf.createConnection(); Connection c = cf.createConnection()) {
            Session ps = p.createSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = ps.createQueue("policy.drop");
            ps.createProducer(q).send(ps.createTextMessage("nobody listens"));
            c.start();
            Session cs = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer late = cs.createConsumer(q);
            assertNull(late.receive(300), "a message sent with no consumer is gone: Spread stores nothing");
        }
    }

    @Test
    void failPolicyRefusesSendsUntilAConsumerExistsThenDeliversToItAlone() throws Exception {
        SpreadConnectionFactory producerFactory = new SpreadConnectionFactory(uri("?queueNoConsumerPolicy=fail"));
        SpreadConnectionFactory consumerFactory = new SpreadConnectionFactory(uri(""));
        try (Connection p = producerFactory.createConnection(); Connection c = consumerFactory.createConnection()) {
            Session ps = p.createSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = ps.createQueue("policy.fail");
            MessageProducer producer = ps.createProducer(q);
            JMSException e = assertThrows(JMSException.class, () -> producer.send(ps.createTextMessage("x")));
            assertTrue(e.getMessage().contains("no consumer"), e.getMessage());

            c.start();
            Session cs = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = cs.createConsumer(q);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            boolean sent = false;
            while (!sent && System.nanoTime() < deadline) {
                try {
                    producer.send(ps.createTextMessage("m0"));
                    sent = true;
                } catch (JMSException notYet) {
                    // the producer's view of the queue group has not shown the consumer yet
                }
            }
            assertTrue(sent, "send still refused with a consumer present");
            for (int i = 1; i < 50; i++) {
                producer.send(ps.createTextMessage("m" + i));
            }
            // the observing producer is a candidate that declines: everything reaches the consumer, exactly once
            // (declined messages take one more round trip, so their order may differ: see docs/queue-protocol.md)
            java.util.Set<String> got = new java.util.HashSet<>();
            for (int i = 0; i < 50; i++) {
                TextMessage m = (TextMessage) consumer.receive(5000);
                assertNotNull(m, "only " + i + " of 50 arrived: the observing producer must take none");
                assertTrue(got.add(m.getText()), "duplicate " + m.getText());
            }
            assertEquals(50, got.size());
            assertNull(consumer.receive(200));
        }
    }
}
