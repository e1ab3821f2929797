package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/**
 * A consumer is live when the call that creates it returns: a message another connection sends right afterwards is
 * always received. Repeated with fresh topics, since a race would show only sometimes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsumerLivenessTest {
    private static final int ROUNDS = 50;

    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    @Test
    void createConsumerIsLiveWhenItReturns() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon);
        try (Connection c = JmsTestSupport.started(f); Connection p = JmsTestSupport.started(f)) {
            Session s = c.createSession();
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(null);
            for (int i = 0; i < ROUNDS; i++) {
                Topic t = s.createTopic(JmsTestSupport.unique("live.plain"));
                MessageConsumer consumer = s.createConsumer(t);
                producer.send(t, ps.createTextMessage("r" + i));
                assertEquals("r" + i, JmsTestSupport.receive(consumer, TextMessage.class).getText(), "round " + i);
                consumer.close();
            }
        }
    }

    @Test
    void createSharedConsumerIsLiveWhenItReturns() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon);
        try (Connection c = JmsTestSupport.started(f); Connection p = JmsTestSupport.started(f)) {
            Session s = c.createSession();
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(null);
            for (int i = 0; i < ROUNDS; i++) {
                Topic t = s.createTopic(JmsTestSupport.unique("live.shared"));
                MessageConsumer consumer = s.createSharedConsumer(t, "sub");
                producer.send(t, ps.createTextMessage("r" + i));
                assertEquals("r" + i, JmsTestSupport.receive(consumer, TextMessage.class).getText(), "round " + i);
                consumer.close();
            }
        }
    }

    @Test
    void namedQueueConsumerIsLiveWhenItReturns() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon);
        try (Connection c = JmsTestSupport.started(f); Connection p = JmsTestSupport.started(f)) {
            Session s = c.createSession();
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(null);
            for (int i = 0; i < ROUNDS; i++) {
                jakarta.jms.Queue q = s.createQueue(JmsTestSupport.unique("live.queue"));
                MessageConsumer consumer = s.createConsumer(q);
                producer.send(q, ps.createTextMessage("r" + i));
                assertEquals("r" + i, JmsTestSupport.receive(consumer, TextMessage.class).getText(), "round " + i);
                consumer.close();
            }
        }
    }

    @Test
    void jmsContextCreateConsumerIsLiveWhenItReturns() {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon);
        try (JMSContext c = f.createContext(); JMSContext p = f.createContext()) {
            for (int i = 0; i < ROUNDS; i++) {
                Topic t = c.createTopic(JmsTestSupport.unique("live.ctx"));
                JMSConsumer consumer = c.createConsumer(t);
                p.createProducer().send(t, "r" + i);
                String body = consumer.receiveBody(String.class, JmsTestSupport.ARRIVES_MS);
                assertNotNull(body, "round " + i);
                assertEquals("r" + i, body);
                consumer.close();
            }
        }
    }
}
