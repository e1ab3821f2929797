package org.spreadjms.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.client.SpreadError;
import org.spreadjms.client.SpreadException;
import org.spreadjms.client.SpreadListener;
import org.spreadjms.client.SpreadOptions;
import org.spreadjms.jms.SpreadConnectionFactory;

/**
 * A daemon process killed with SIGKILL and restarted on the same port: clients report the loss (raw listener, JMS
 * ExceptionListener) and new connections work. Automatic reconnection (issue 5) is not tested here.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DaemonFailureTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void killedDaemonIsReportedAndARestartedOneServesNewConnections() throws Exception {
        int port;
        CountDownLatch rawLost = new CountDownLatch(1);
        CountDownLatch jmsLost = new CountDownLatch(1);
        AtomicReference<JMSException> jmsCause = new AtomicReference<>();
        SpreadConnection raw;
        Connection jms;
        Session session;
        try (DaemonProcess daemon = DaemonProcess.start(0)) {
            port = daemon.port();
            raw = SpreadConnection.connect(SpreadOptions.builder().daemon("127.0.0.1", port).build());
            raw.join("it.failover", WAIT);
            raw.addListener(new SpreadListener() {
                @Override
                public void onConnectionLost(SpreadException cause) {
                    rawLost.countDown();
                }
            });
            jms = new SpreadConnectionFactory(daemon.url()).createConnection();
            jms.setExceptionListener(e -> {
                jmsCause.set(e);
                jmsLost.countDown();
            });
            session = jms.createSession(Session.AUTO_ACKNOWLEDGE);
            session.createConsumer(session.createTopic("it.failover"));
            jms.start();

            daemon.kill();
        }
        assertTrue(rawLost.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "raw listener told of the loss");
        assertTrue(jmsLost.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "JMS ExceptionListener told of the loss");
        assertNotNull(jmsCause.get().getMessage());
        assertInstanceOf(SpreadException.ConnectionClosedException.class,
                assertThrows(SpreadException.class, () -> raw.multicast(ServiceType.AGREED, "it.failover", (short) 0,
                        new byte[1])));
        jms.close();
        raw.close();

        SpreadException refused = assertThrows(SpreadException.class, () -> SpreadConnection.connect(
                SpreadOptions.builder().daemon("127.0.0.1", port).build()));
        assertEquals(SpreadError.COULD_NOT_CONNECT, refused.error());
        try (Connection down = new SpreadConnectionFactory("spread://127.0.0.1:" + port + "?storeAcks=0").createConnection()) {
            // a JMS connection connects lazily: its first session is where the refusal shows
            assertThrows(JMSException.class, () -> down.createSession(Session.AUTO_ACKNOWLEDGE));
        }

        try (DaemonProcess again = DaemonProcess.start(port)) {
            assertEquals(port, again.port());
            try (SpreadConnection raw2 = SpreadConnection.connect(SpreadOptions.builder().daemon("127.0.0.1", port)
                    .build())) {
                raw2.join("it.failover", WAIT);
                raw2.multicast(ServiceType.AGREED, "it.failover", (short) 0, "back".getBytes(StandardCharsets.UTF_8));
                DataMessage d = RawJmsInteropTest.nextData(raw2);
                assertEquals("back", new String(d.data(), StandardCharsets.UTF_8));
            }
            try (Connection c = new SpreadConnectionFactory(again.url()).createConnection();
                 Connection p = new SpreadConnectionFactory(again.url()).createConnection()) {
                Session cs = c.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = cs.createConsumer(cs.createTopic("it.failover"));
                c.start();
                Session ps = p.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = ps.createProducer(ps.createTopic("it.failover"));
                producer.send(ps.createTextMessage("JMS is back"));
                assertEquals("JMS is back", assertInstanceOf(TextMessage.class, consumer.receive(WAIT.toMillis()))
                        .getText());
            }
        }
    }

    @Test
    void sendOnAConnectionWhoseDaemonDiedThrows() throws Exception {
        CountDownLatch lost = new CountDownLatch(1);
        try (DaemonProcess daemon = DaemonProcess.start(0);
             Connection jms = new SpreadConnectionFactory(daemon.url()).createConnection()) {
            jms.setExceptionListener(e -> lost.countDown());
            Session session = jms.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createTopic("it.void"));
            daemon.kill();
            assertTrue(lost.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "JMS ExceptionListener told of the loss");
            assertThrows(JMSException.class, () -> producer.send(session.createTextMessage("into the void")));
        }
    }

    @Test
    void sigtermStopsTheDaemonCleanlyAndClientsSeeTheEnd() throws Exception {
        CountDownLatch lost = new CountDownLatch(1);
        try (DaemonProcess daemon = DaemonProcess.start(0)) {
            SpreadConnection raw = SpreadConnection.connect(SpreadOptions.builder().daemon("127.0.0.1",
                    daemon.port()).build());
            raw.addListener(new SpreadListener() {
                @Override
                public void onConnectionLost(SpreadException cause) {
                    lost.countDown();
                }
            });
            int exit = daemon.terminate(WAIT);
            assertEquals(143, exit, "exit code of a JVM ended by SIGTERM");
            assertNotNull(daemon.awaitOutput(Pattern.compile("spread daemon 'localhost' stopped"), WAIT),
                    daemon::output);
            assertTrue(lost.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the client saw the daemon go");
            raw.close();
        }
    }
}
