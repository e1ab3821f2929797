package org.spreadjms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.springframework.jms.core.JmsTemplate;

/** pooled-jms's JmsPoolConnectionFactory over our ConnectionFactory. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PooledJmsTest {
    private static final long WAIT_MILLIS = 10_000;

    private static JmsPoolConnectionFactory pool(SpreadTarget target, int connections) {
        JmsPoolConnectionFactory pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(target.factory());
        pool.setMaxConnections(connections);
        return pool;
    }

    @ParameterizedTest(name = "{0}")
    @ArgumentsSource(SpreadTargets.class)
    void manyThreadsShareAFewPooledConnections(SpreadTarget target) throws Exception {
        String topic = SpreadTarget.unique("it.pool");
        JmsPoolConnectionFactory pool = pool(target, 2);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (Connection plain = target.factory().createConnection()) {
            Session s = plain.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createTopic(topic));
            plain.start();
            int n = 40;
            Future<?>[] sends = new Future<?>[n];
            for (int i = 0; i < n; i++) {
                String body = "m" + i;
                sends[i] = threads.submit(() -> {
                    try (Connection c = pool.createConnection();
                         Session ps = c.createSession(Session.AUTO_ACKNOWLEDGE)) {
                        ps.createProducer(ps.createTopic(topic)).send(ps.createTextMessage(body));
                    }
                    return null;
                });
            }
            for (Future<?> f : sends) {
                f.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
            Set<String> got = new HashSet<>();
            for (int i = 0; i < n; i++) {
                got.add(assertInstanceOf(TextMessage.class, consumer.receive(WAIT_MILLIS)).getText());
            }
            assertEquals(n, got.size());
            assertTrue(pool.getNumConnections() <= 2, "pooled connections: " + pool.getNumConnections());
        } finally {
            threads.shutdownNow();
            pool.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ArgumentsSource(SpreadTargets.class)
    void jmsTemplateOverThePoolReusesOneConnection(SpreadTarget target) throws Exception {
        String queue = SpreadTarget.unique("it.poolq");
        JmsPoolConnectionFactory pool = pool(target, 1);
        try (Connection plain = target.factory().createConnection()) {
            Session s = plain.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            plain.start();
            JmsTemplate template = new JmsTemplate(pool);
            for (int i = 0; i < 10; i++) {
                template.convertAndSend(queue, "t" + i);
            }
            for (int i = 0; i < 10; i++) {
                assertEquals("t" + i, assertInstanceOf(TextMessage.class, consumer.receive(WAIT_MILLIS)).getText());
            }
            assertEquals(1, pool.getNumConnections());
        } finally {
            pool.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ArgumentsSource(SpreadTargets.class)
    void pooledConsumerReceives(SpreadTarget target) throws Exception {
        String topic = SpreadTarget.unique("it.poolc");
        JmsPoolConnectionFactory pool = pool(target, 1);
        try (Connection c = pool.createConnection(); Connection producer = target.factory().createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createTopic(topic));
            c.start();
            Session ps = producer.createSession(Session.AUTO_ACKNOWLEDGE);
            ps.createProducer(ps.createTopic(topic)).send(ps.createTextMessage("via pool"));
            assertEquals("via pool", assertInstanceOf(TextMessage.class, consumer.receive(WAIT_MILLIS)).getText());
        } finally {
            pool.stop();
        }
    }
}
