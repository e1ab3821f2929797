package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.client.ServiceType;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectionFactoryTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    @Test
    void refusesBadValuesOfTheLaterOptionsNamingThem() {
        for (String bad : new String[] {"queueNoConsumerPolicy=sometimes", "receiveBufferBytes=10",
                "maxMessageBytes=5", "fragmentTimeout=0", "failover.maxReconnectAttempts=0"}) {
            String uri = bad.startsWith("failover.") ? "spread:failover:(spread://127.0.0.1:4803)?" + bad
                    : "spread://127.0.0.1:4803?" + bad;
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> new SpreadConnectionFactory(uri), uri);
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(bad.substring(0, bad.indexOf('=')))
                    || e.getMessage().contains(bad.substring(bad.indexOf('=') + 1)), e.getMessage());
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SpreadConnectionFactory("spread:failover:(spread://127.0.0.1:4803?clientID=x)"));
    }

    @Test
    void noArgFactoryTargetsTheDefaultLocalDaemon() {
        SpreadConnectionFactory f = new SpreadConnectionFactory();
        assertEquals("127.0.0.1", f.getSettings().getHost());
        assertEquals(4803, f.getSettings().getPort());
        assertEquals(ServiceType.FIFO, f.getNonPersistentServiceType());
        assertEquals(ServiceType.SAFE, f.getPersistentServiceType());
    }

    @Test
    void uriOptionsSetClientIdPrefixAndServiceTypes() {
        SpreadConnectionFactory f = new SpreadConnectionFactory("spread://127.0.0.1:4900?clientID=app1"
                + "&privateNamePrefix=ab&nonPersistentServiceType=agreed&persistentServiceType=RELIABLE"
                + "&rawMessagesAsText=true&deserializationAllowlist=com.acme.**");
        SpreadJmsSettings s = f.getSettings();
        assertEquals(4900, s.getPort());
        assertEquals("app1", f.getClientID());
        assertEquals("ab", s.getPrivateNamePrefix());
        assertEquals(ServiceType.AGREED, s.getNonPersistentServiceType());
        assertEquals(ServiceType.RELIABLE, s.getPersistentServiceType());
        assertTrue(s.isRawMessagesAsText());
        assertEquals("com.acme.**", s.getDeserializationAllowlist());
    }

    @Test
    void beanPropertiesSetTheSameSettings() {
        SpreadConnectionFactory f = new SpreadConnectionFactory();
        f.setClientID("bean1");
        f.setPrivateNamePrefix("bp");
        f.setNonPersistentServiceType("RELIABLE");
        f.setPersistentServiceType("agreed");
        assertEquals("bean1", f.getClientID());
        assertEquals("bp", f.getSettings().getPrivateNamePrefix());
        assertEquals(ServiceType.RELIABLE, f.getNonPersistentServiceType());
        assertEquals(ServiceType.AGREED, f.getPersistentServiceType());
        assertTrue(f.getBrokerURI().contains("clientID=bean1"), f.getBrokerURI());
    }

    @Test
    void unknownUriOptionsFailNamingEachOfThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SpreadConnectionFactory("spread://127.0.0.1:4803?clientID=x&colour=red&sizeKb=3"));
        assertTrue(e.getMessage().contains("colour") && e.getMessage().contains("sizeKb"), e.getMessage());
    }

    @Test
    void malformedUrisAndValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SpreadConnectionFactory("tcp://127.0.0.1:4803"));
        assertThrows(IllegalArgumentException.class,
                () -> new SpreadConnectionFactory("spread://127.0.0.1:4803?persistentServiceType=FAST"));
        assertThrows(IllegalArgumentException.class,
                () -> new SpreadConnectionFactory("spread://127.0.0.1:4803?privateNamePrefix=toolong"));
    }

    @Test
    void privateNamePrefixStartsTheSpreadPrivateName() throws Exception {
        try (SpreadJmsConnection c = (SpreadJmsConnection) JmsTestSupport.factory(daemon, "privateNamePrefix=pfx")
                .createConnection()) {
            c.createSession();
            assertTrue(c.provider().privateGroup().startsWith("#pfx"), c.provider().privateGroup());
        }
    }

    @Test
    void queueConnectionFactoryMakesWorkingQueueConnections() throws Exception {
        QueueConnectionFactory f = JmsTestSupport.factory(daemon);
        try (QueueConnection c = f.createQueueConnection("user", "ignored")) {
            c.start();
            QueueSession s = c.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.TemporaryQueue q = s.createTemporaryQueue();
            QueueReceiver r = s.createReceiver(q);
            s.createSender(q).send(s.createTextMessage("q"));
            assertEquals("q", JmsTestSupport.receive(r, TextMessage.class).getText());
        }
    }

    @Test
    void topicConnectionFactoryMakesWorkingTopicConnections() throws Exception {
        TopicConnectionFactory f = JmsTestSupport.factory(daemon);
        try (TopicConnection c = f.createTopicConnection()) {
            c.start();
            TopicSession s = c.createTopicSession(false, Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.Topic t = s.createTopic(JmsTestSupport.unique("cf.topic"));
            TopicSubscriber sub = s.createSubscriber(t);
            s.createPublisher(t).publish(s.createTextMessage("t"));
            assertEquals("t", JmsTestSupport.receive(sub, TextMessage.class).getText());
        }
    }

    @Test
    void connectingToANonListeningPortIsAJmsException() throws Exception {
        ConnectionFactory f = new SpreadConnectionFactory("spread://127.0.0.1:1?connectTimeout=1000");
        try (jakarta.jms.Connection c = f.createConnection()) {
            JMSException e = assertThrows(JMSException.class, c::start);
            assertNotNull(e.getLinkedException());
            assertInstanceOf(Exception.class, e.getCause());
        }
    }
}
