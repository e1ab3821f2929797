package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.spreadjms.daemon.EmbeddedSpreadDaemon;
import org.spreadjms.daemon.UserFile;

/** createConnection/createContext with credentials, and destinations refused by the daemon's ACL. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecurityTest {
    @TempDir
    Path dir;
    private EmbeddedSpreadDaemon daemon;
    private SpreadConnectionFactory factory;

    @BeforeEach
    void start() throws Exception {
        Path users = dir.resolve("users");
        UserFile.write(users, "alice", "alice-pw", Set.of("orders"), UserFile.DEFAULT_ITERATIONS);
        UserFile.write(users, "mallory", "mallory-pw", Set.of(), UserFile.DEFAULT_ITERATIONS);
        Path acl = dir.resolve("acl");
        Files.writeString(acl, """
                role:orders   all    queue:orders.>  topic:orders.>
                user:mallory  all    queue:mallory.>  topic:mallory.>
                *             name   >
                """);
        daemon = EmbeddedSpreadDaemon.builder().users(users).acl(acl).authFailureDelay(Duration.ofMillis(10))
                .start();
        factory = new SpreadConnectionFactory(JmsTestSupport.storeless("spread://127.0.0.1:" + daemon.port()));
    }

    @AfterEach
    void stop() {
        daemon.stop();
    }

    @Test
    void rightCredentialsConnectAndWork() throws Exception {
        try (Connection c = factory.createConnection("alice", "alice-pw")) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("orders.eu");
            MessageConsumer consumer = s.createConsumer(q);
            c.start();
            s.createProducer(q).send(s.createTextMessage("hello"));
            TextMessage m = (TextMessage) consumer.receive(JmsTestSupport.ARRIVES_MS);
            assertNotNull(m);
            assertEquals("hello", m.getText());
        }
    }

    /** The user and password URI options make createConnection() without arguments authenticate (JNDI setups). */
    @Test
    void userAndPasswordOptionsAuthenticateConnectionsWithoutCredentials() throws Exception {
        String base = "spread://127.0.0.1:" + daemon.port();
        SpreadConnectionFactory configured = new SpreadConnectionFactory(base + "?user=alice&password=alice-pw"
                + "&storeAcks=0");
        try (Connection c = configured.createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("orders.configured");
            MessageConsumer consumer = s.createConsumer(q);
            c.start();
            s.createProducer(q).send(s.createTextMessage("as alice"));
            assertEquals("as alice", ((TextMessage) consumer.receive(JmsTestSupport.ARRIVES_MS)).getText());
        }
        try (JMSContext ctx = configured.createContext()) {
            assertNotNull(ctx.createTemporaryQueue());
        }
        SpreadConnectionFactory wrong = new SpreadConnectionFactory(base + "?user=alice&password=nope");
        assertThrows(JMSSecurityException.class, wrong::createConnection);
        assertThrows(JMSSecurityRuntimeException.class, wrong::createContext);
    }

    @Test
    void wrongOrMissingCredentialsAreJmsSecurityExceptions() {
        JMSSecurityException wrong = assertThrows(JMSSecurityException.class,
                () -> factory.createConnection("alice", "nope"));
        assertTrue(wrong.getMessage().contains("refused user 'alice'"), wrong.getMessage());
        assertNotNull(wrong.getLinkedException());
        assertThrows(JMSSecurityException.class, () -> factory.createConnection("nobody", "x"));
        assertThrows(JMSSecurityException.class, () -> factory.createQueueConnection("alice", "nope"));
        assertThrows(JMSSecurityException.class, () -> factory.createTopicConnection("alice", "nope"));
        assertThrows(JMSSecurityRuntimeException.class, () -> factory.createContext("alice", "nope"));
        assertThrows(JMSSecurityRuntimeException.class,
                () -> factory.createContext("alice", "nope", JMSContext.CLIENT_ACKNOWLEDGE));
        // anonymous is not allowed on this daemon: the first use fails with a security exception
        JMSSecurityException anonymous = assertThrows(JMSSecurityException.class, () -> {
            try (Connection c = factory.createConnection()) {
                c.start();
                c.createSession(Session.AUTO_ACKNOWLEDGE).createProducer(null);
                c.createSession(Session.AUTO_ACKNOWLEDGE).createConsumer(
                        new org.spreadjms.jms.destination.SpreadTopic("orders.x"));
            }
        });
        assertNotNull(anonymous.getMessage());
    }

    @Test
    void aRefusedConsumerNamesTheJmsDestination() throws Exception {
        try (Connection c = factory.createConnection("mallory", "mallory-pw")) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            JMSSecurityException e = assertThrows(JMSSecurityException.class,
                    () -> s.createConsumer(s.createQueue("orders.eu")));
            assertTrue(e.getMessage().contains("queue://orders.eu"), e.getMessage());
            assertFalse(e.getMessage().contains("q~"), e.getMessage());
            // the session survives: an allowed consumer still works
            MessageConsumer own = s.createConsumer(s.createQueue("mallory.inbox"));
            assertNotNull(own);
        }
    }

    @Test
    void aRefusedSendNamesTheJmsDestinationAndNothingArrives() throws Exception {
        try (Connection alice = factory.createConnection("alice", "alice-pw");
             Connection mallory = factory.createConnection("mallory", "mallory-pw")) {
            Session as = alice.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = as.createConsumer(as.createTopic("orders.new"));
            alice.start();
            Session ms = mallory.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = ms.createProducer(ms.createTopic("orders.new"));
            JMSSecurityException e = assertThrows(JMSSecurityException.class,
                    () -> p.send(ms.createTextMessage("forged")));
            assertTrue(e.getMessage().contains("topic://orders.new"), e.getMessage());
            assertNull(consumer.receive(JmsTestSupport.ABSENT_MS));
            // mallory's own topic still works
            ms.createProducer(ms.createTopic("mallory.news")).send(ms.createTextMessage("mine"));
        }
    }

    @Test
    void contextWithCredentialsAndARefusedDestination() {
        try (JMSContext ctx = factory.createContext("mallory", "mallory-pw")) {
            JMSSecurityRuntimeException e = assertThrows(JMSSecurityRuntimeException.class,
                    () -> ctx.createConsumer(ctx.createQueue("orders.eu")));
            assertInstanceOf(JMSSecurityException.class, e.getCause());
            assertTrue(e.getMessage().contains("queue://orders.eu"), e.getMessage());
            assertThrows(JMSSecurityRuntimeException.class,
                    () -> ctx.createProducer().send(ctx.createQueue("orders.eu"), "forged"));
        }
    }

    /**
     * With storeAcks (the default, all) a connection must see the store's presence group; an ACL that refuses it
     * makes a PERSISTENT queue send fail with a JMSSecurityException saying so and how out, while a PERSISTENT topic
     * send goes (this user cannot use the store, so it keeps nothing for this user's topics either).
     */
    @Test
    void aRefusedStorePresenceGroupFailsPersistentQueueSendsClearlyAndLetsTopicSendsGo() throws Exception {
        SpreadConnectionFactory storeAcksAll = new SpreadConnectionFactory("spread://127.0.0.1:" + daemon.port());
        try (Connection c = storeAcksAll.createConnection("mallory", "mallory-pw")) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer q = s.createProducer(s.createQueue("mallory.work"));
            JMSSecurityException e = assertThrows(JMSSecurityException.class,
                    () -> q.send(s.createTextMessage("kept?"), DeliveryMode.PERSISTENT, 4, 0));
            assertTrue(e.getMessage().contains("$spread.store~p") && e.getMessage().contains("storeAcks=0"),
                    e.getMessage());
            MessageConsumer own = s.createConsumer(s.createTopic("mallory.news"));
            c.start();
            s.createProducer(s.createTopic("mallory.news")).send(s.createTextMessage("news"), DeliveryMode.PERSISTENT,
                    4, 0);
            assertEquals("news", ((TextMessage) own.receive(JmsTestSupport.ARRIVES_MS)).getText());
        }
    }
}
