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
                + "&failover.maxReconnectDelay=200&storeAcks=0" + extra;
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

    /**
     * Issue 13, item 5: a sender that keeps sending while the daemon goes away and comes back sees no exception (its
     * sends wait for the reconnection, a send cut off by the loss is sent again); messages sent after the restart
     * all arrive.
     */
    @Test
    void sendsDuringADaemonRestartWaitInsteadOfFailing() throws Exception {
        int port = freePort();
        EmbeddedSpreadDaemon first = EmbeddedSpreadDaemon.builder().port(port).start();
        EmbeddedSpreadDaemon second = null;
        SpreadConnectionFactory cf = new SpreadConnectionFactory(failoverUri(port, ""));
        java.util.concurrent.ExecutorService sender = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (Connection consumerConnection = cf.createConnection();
             Connection producerConnection = cf.createConnection()) {
            consumerConnection.start();
            Session cs = consumerConnection.createSession(Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.Queue queue = cs.createQueue("failover.queue");
            MessageConsumer consumer = cs.createConsumer(queue);
            Session ps = producerConnection.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = ps.createProducer(queue);
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.Future<Integer> sends = sender.submit(() -> {
                int n = 0;
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!stop.get() && System.nanoTime() < until && n < 200_000) {
                    producer.send(ps.createTextMessage("m" + n++)); // must never throw
                }
                return n;
            });
            assertNotNull(consumer.receive(5000), "flowing before the restart");
            first.stop();
            second = EmbeddedSpreadDaemon.builder().port(port).start();
            // the consumer's connection rejoins by itself; wait until messages flow again, then stop the sender
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            int after = 0;
            while (after < 100 && System.nanoTime() < deadline) {
                if (consumer.receive(200) != null && second != null) {
                    after++;
                }
            }
            stop.set(true);
            int sent = sends.get(20, TimeUnit.SECONDS); // an exception of any send would surface here
            assertTrue(sent > 0);
            assertTrue(after >= 100, "messages flow again after the restart (" + after + ")");
        } finally {
            stop(sender);
            first.stop();
            if (second != null) {
                second.stop();
            }
        }
    }

    /** Issue 13, item 5: close() while the daemon is gone returns promptly (it took 30 s: failover.sendTimeout). */
    @Test
    void closeDuringAnOutageIsPrompt() throws Exception {
        int port = freePort();
        EmbeddedSpreadDaemon d = EmbeddedSpreadDaemon.builder().port(port).start();
        SpreadConnectionFactory cf = new SpreadConnectionFactory(failoverUri(port, "&failover.sendTimeout=30000"));
        Connection c = cf.createConnection();
        try {
            c.start();
            Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
            jakarta.jms.Queue q = s.createQueue("failover.close");
            MessageConsumer consumer = s.createConsumer(q);
            s.createConsumer(s.createTopic("failover.close.topic"));
            s.createProducer(q).send(s.createTextMessage("x"));
            assertNotNull(consumer.receive(5000));
            MessageProducer late = s.createProducer(q);
            d.stop();
            // a send that waits for the reconnection shows that the outage has been noticed
            Thread waiting = new Thread(() -> {
                try {
                    while (true) { // until the outage is noticed and a send waits for the reconnection
                        late.send(s.createTextMessage("during the outage"));
                    }
                } catch (JMSException expected) {
                    // the close below ends the wait
                }
            });
            waiting.start();
            long noticed = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (waiting.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < noticed) {
                Thread.onSpinWait();
            }
            assertEquals(Thread.State.TIMED_WAITING, waiting.getState(), "the send waits for the reconnection");
            long start = System.nanoTime();
            c.close();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 5_000, "close took " + millis + " ms");
        } finally {
            d.stop();
        }
    }

    /** Issue 13, item 5: the first connect retries like a reconnection, so a daemon that starts late is found. */
    @Test
    void theFirstConnectRetriesUntilTheDaemonIsUp() throws Exception {
        int port = freePort();
        SpreadConnectionFactory cf = new SpreadConnectionFactory(failoverUri(port, "&failover.sendTimeout=20000"));
        java.util.concurrent.ExecutorService starter = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.Future<EmbeddedSpreadDaemon> daemon = starter.submit(() -> {
            Thread.onSpinWait();
            return EmbeddedSpreadDaemon.builder().port(port).start();
        });
        try (Connection c = cf.createConnection()) {
            c.start(); // connects: retried until the daemon answers
            Session s = c.createSession();
            assertNotNull(s.createTemporaryQueue());
        } finally {
            daemon.get(20, TimeUnit.SECONDS).stop();
            stop(starter);
        }
        SpreadConnectionFactory bounded = new SpreadConnectionFactory(failoverUri(freePort(),
                "&failover.maxReconnectAttempts=2"));
        JMSException e = assertThrows(JMSException.class, () -> bounded.createConnection().start());
        assertTrue(e.getMessage().contains("maxReconnectAttempts=2"), e.getMessage());
    }

    /** Issue 13, item 5: a failed send names the JMS destination, never the internal group. */
    @Test
    void aFailedSendNamesTheDestinationNotTheInternalGroup() throws Exception {
        JMSException e = MessageSender.naming(new org.spreadjms.jms.destination.SpreadQueue("crashQ1"),
                java.util.List.of("q~crashQ1"), new JMSException("send to [q~crashQ1] failed: Connection reset"));
        assertEquals("could not send to queue://crashQ1: send to queue://crashQ1 failed: Connection reset",
                e.getMessage());
        assertTrue(e.getCause() != null);
    }

    private static void stop(java.util.concurrent.ExecutorService e) throws InterruptedException {
        e.shutdownNow();
        e.awaitTermination(10, TimeUnit.SECONDS);
    }
}
