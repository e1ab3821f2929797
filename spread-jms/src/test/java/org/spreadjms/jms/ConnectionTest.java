package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.EmbeddedSpreadDaemon;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectionTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private static SpreadConnectionFactory factory() {
        return JmsTestSupport.factory(daemon);
    }

    @Test
    void clientIdSetFirstIsKeptAndBecomesThePrivateName() throws Exception {
        try (SpreadJmsConnection c = (SpreadJmsConnection) factory().createConnection()) {
            c.setClientID("cid1");
            assertEquals("cid1", c.getClientID());
            c.createSession();
            assertTrue(c.provider().privateGroup().startsWith("#cid1#"), c.provider().privateGroup());
        }
    }

    @Test
    void setClientIdAfterOtherUseIsIllegalState() throws Exception {
        try (Connection c = factory().createConnection()) {
            c.createSession();
            assertThrows(IllegalStateException.class, () -> c.setClientID("late"));
        }
        try (Connection c = factory().createConnection()) {
            c.setClientID("once1");
            assertThrows(IllegalStateException.class, () -> c.setClientID("twice1"));
        }
        try (Connection c = JmsTestSupport.factory(daemon, "clientID=admin1").createConnection()) {
            assertEquals("admin1", c.getClientID());
            assertThrows(IllegalStateException.class, () -> c.setClientID("mine"));
        }
    }

    @Test
    void duplicateShortClientIdIsInvalidClientId() throws Exception {
        try (Connection first = factory().createConnection(); Connection second = factory().createConnection()) {
            first.setClientID("dup1");
            first.start();
            assertThrows(InvalidClientIDException.class, () -> second.setClientID("dup1"));
            second.setClientID("dup1b");
            assertEquals("dup1b", second.getClientID());
        }
    }

    @Test
    void duplicateClientIdFromTheFactoryIsInvalidClientId() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon, "clientID=dup2");
        try (Connection first = f.createConnection(); Connection second = f.createConnection()) {
            first.start();
            assertThrows(InvalidClientIDException.class, second::start);
        }
    }

    @Test
    void stoppedConnectionHoldsMessagesUntilStarted() throws Exception {
        try (Connection c = factory().createConnection(); Connection p = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("conn.stop"));
            MessageConsumer consumer = s.createConsumer(t);
            Session ps = p.createSession();
            ps.createProducer(t).send(ps.createTextMessage("held"));
            assertNull(consumer.receive(JmsTestSupport.ABSENT_MS), "delivered before start()");
            c.start();
            assertEquals("held", JmsTestSupport.receive(consumer, TextMessage.class).getText());
            c.stop();
            ps.createProducer(t).send(ps.createTextMessage("again"));
            assertNull(consumer.receiveNoWait());
            assertNull(consumer.receive(JmsTestSupport.ABSENT_MS), "delivered while stopped");
            c.start();
            assertEquals("again", JmsTestSupport.receive(consumer, TextMessage.class).getText());
        }
    }

    @Test
    void stopWaitsForARunningListenerAndNoneRunsWhileStopped() throws Exception {
        try (Connection c = JmsTestSupport.started(factory()); Connection p = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("conn.stoplistener"));
            CountDownLatch inListener = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch second = new CountDownLatch(1);
            List<String> got = Collections.synchronizedList(new ArrayList<>());
            s.createConsumer(t).setMessageListener(m -> {
                try {
                    got.add(((TextMessage) m).getText());
                    inListener.countDown();
                    if (got.size() == 2) {
                        second.countDown();
                    }
                    release.await(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Session ps = p.createSession();
            MessageProducer producer = ps.createProducer(t);
            producer.send(ps.createTextMessage("1"));
            assertTrue(inListener.await(5, TimeUnit.SECONDS));
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
                try {
                    c.stop();
                } catch (JMSException e) {
                    throw new RuntimeException(e);
                }
            });
            assertThrows(TimeoutException.class, () -> stopped.get(JmsTestSupport.ABSENT_MS, TimeUnit.MILLISECONDS),
                    "stop() returned while a listener ran");
            release.countDown();
            stopped.get(5, TimeUnit.SECONDS);
            producer.send(ps.createTextMessage("2"));
            assertFalse(second.await(JmsTestSupport.ABSENT_MS, TimeUnit.MILLISECONDS), "listener ran while stopped");
            c.start();
            assertTrue(second.await(5, TimeUnit.SECONDS), "listener did not resume after start()");
            assertEquals(List.of("1", "2"), got);
        }
    }

    @Test
    void metadataNamesJms31AndTheJmsxProperties() throws Exception {
        try (Connection c = factory().createConnection()) {
            ConnectionMetaData md = c.getMetaData();
            assertEquals("3.1", md.getJMSVersion());
            assertEquals(3, md.getJMSMajorVersion());
            assertEquals(1, md.getJMSMinorVersion());
            assertNotNull(md.getJMSProviderName());
            List<Object> names = Collections.list(md.getJMSXPropertyNames());
            assertTrue(names.containsAll(List.of("JMSXDeliveryCount", "JMSXGroupID", "JMSXGroupSeq")), names.toString());
        }
    }

    @Test
    void exceptionListenerHearsWhenTheDaemonDies() throws Exception {
        EmbeddedSpreadDaemon own = EmbeddedSpreadDaemon.builder().port(0).start();
        try (Connection c = new SpreadConnectionFactory("spread://127.0.0.1:" + own.port()).createConnection()) {
            CompletableFuture<JMSException> heard = new CompletableFuture<>();
            c.setExceptionListener(heard::complete);
            c.start();
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createTopic("dies"));
            own.stop();
            JMSException e = heard.get(10, TimeUnit.SECONDS);
            assertNotNull(e.getMessage());
            assertThrows(JMSException.class, () -> consumer.receive(1000));
            assertThrows(JMSException.class, () -> s.createProducer(s.createTopic("dies"))
                    .send(s.createTextMessage("x")));
        } finally {
            own.stop();
        }
    }

    @Test
    void exceptionListenerIsNotCalledOnAnOrdinaryClose() throws Exception {
        CompletableFuture<JMSException> heard = new CompletableFuture<>();
        Connection c = JmsTestSupport.started(factory());
        c.setExceptionListener(heard::complete);
        c.createSession().createConsumer(c.createSession().createTopic("closing"));
        c.close();
        assertFalse(heard.isDone(), "ExceptionListener called for close(): " + heard.getNow(null));
    }

    @Test
    void closedConnectionIsIllegalStateAndCloseIsIdempotent() throws Exception {
        Connection c = factory().createConnection();
        Session s = c.createSession();
        c.close();
        c.close();
        assertThrows(IllegalStateException.class, c::createSession);
        assertThrows(IllegalStateException.class, c::start);
        assertThrows(IllegalStateException.class, c::stop);
        assertThrows(IllegalStateException.class, c::getClientID);
        assertThrows(IllegalStateException.class, c::getMetaData);
        assertThrows(IllegalStateException.class, () -> c.setExceptionListener(null));
        assertThrows(IllegalStateException.class, () -> s.createTopic("x"));
    }

    @Test
    void stopOrCloseFromAListenerOfTheConnectionIsIllegalState() throws Exception {
        try (Connection c = JmsTestSupport.started(factory()); Connection p = JmsTestSupport.started(factory())) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("conn.fromlistener"));
            CompletableFuture<Exception> onStop = new CompletableFuture<>();
            CompletableFuture<Exception> onClose = new CompletableFuture<>();
            s.createConsumer(t).setMessageListener(m -> {
                onStop.complete(attempt(c::stop));
                onClose.complete(attempt(c::close));
            });
            Session ps = p.createSession();
            ps.createProducer(t).send(ps.createTextMessage("x"));
            assertInstanceOf(IllegalStateException.class, onStop.get(5, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, onClose.get(5, TimeUnit.SECONDS));
            // the connection is still usable after the refused close
            MessageConsumer second = s.createConsumer(s.createTemporaryQueue());
            assertNull(second.receiveNoWait());
        }
    }

    interface JmsAction {
        void run() throws JMSException;
    }

    static Exception attempt(JmsAction a) {
        try {
            a.run();
            return null;
        } catch (JMSException | RuntimeException e) {
            return e;
        }
    }
}
