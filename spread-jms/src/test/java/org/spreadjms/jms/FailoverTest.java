package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.daemon.EmbeddedSpreadDaemon;

/** Reconnection with a failover URI, by stopping and restarting an embedded daemon on the same port. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailoverTest {
    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String failoverUri(int port, String extra) {
        return "spread:failover:(spread://127.0.0.1:" + port + ")?failover.initialReconnectDelay=20"
                + "&failover.maxReconnectDelay=200" + extra;
    }

    @Test
    void consumersResumeByThemselvesAfterTheDaemonRestarts() throws Exception {
        int port = freePort();
        EmbeddedSpreadDaemon first = EmbeddedSpreadDaemon.builder().port(port).start();
        EmbeddedSpreadDaemon second = null;
        SpreadConnectionFactory cf = new SpreadConnectionFactory(failoverUri(port, ""));
        try (Connection consumerConnection = cf.createConnection();
             Connection producerConnection = cf.createConnection()) {
            AtomicInteger exceptions = new AtomicInteger();
            consumerConnection.setExceptionListener(e -> exceptions.incrementAndGet());
            consumerConnection.start();
            Session cs = consumerConnection.createSession(Session.AUTO_ACKNOWLEDGE);
            Topic topic = cs.createTopic("failover.stream");
            MessageConsumer consumer = cs.createConsumer(topic);
            Session ps = producerConnection.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = ps.createProducer(topic);

            producer.send(ps.createTextMessage("before"));
            assertEquals("before", ((TextMessage) consumer.receive(5000)).getText());

            first.stop();
            second = EmbeddedSpreadDaemon.builder().port(port).start();

            // sends wait for the reconnection; the consumer's connection rejoins the topic by itself
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            String got = null;
            int sent = 0;
            while (got == null && System.nanoTime() < deadline) {
                producer.send(ps.createTextMessage("after " + sent++));
                TextMessage m = (TextMessage) consumer.receive(200);
                got = m == null ? null : m.getText();
            }
            assertNotNull(got, "no message after the restart");
            assertTrue(got.startsWith("after "), got);
            for (int i = 0; i < 50; i++) {
                producer.send(ps.createTextMessage("steady " + i));
            }
            int steady = 0;
            TextMessage m;
            while ((m = (TextMessage) consumer.receive(2000)) != null) {
                if (m.getText().startsWith("steady ")) {
                    assertEquals("steady " + steady, m.getText(), "order after reconnection");
                    steady++;
                    if (steady == 50) {
                        break;
                    }
                }
            }
            assertEquals(50, steady, "every message sent after the reconnection arrives");
            assertEquals(0, exceptions.get(), "a successful reconnection is not reported as a failure");
        } finally {
            first.stop();
            if (second != null) {
                second.stop();
            }
        }
    }

    @Test
    void givingUpIsReportedOnceToTheExceptionListenerAndSendsThenFail() throws Exception {
        int port = freePort();
        EmbeddedSpreadDaemon d = EmbeddedSpreadDaemon.builder().port(port).start();
        SpreadConnectionFactory cf = new SpreadConnectionFactory(failoverUri(port,
                "&failover.maxReconnectAttempts=3&failover.sendTimeout=2000"));
        try (Connection c = cf.createConnection()) {
            CountDownLatch reported = new CountDownLatch(1);
            AtomicInteger count = new AtomicInteger();
            c.setExceptionListener(e -> {
                count.incrementAndGet();
                reported.countDown();
            });
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createTopic("failover.giveup"));
            d.stop();
            assertTrue(reported.await(20, TimeUnit.SECONDS), "ExceptionListener not called after giving up");
            JMSException e = assertThrows(JMSException.class, () -> p.send(s.createTextMessage("x")));
            assertTrue(e.getMessage().contains("lost") || e.getMessage().contains("gave up"), e.getMessage());
            assertEquals(1, count.get());
        } finally {
            d.stop();
        }
    }
}
