package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;

import javax.naming.Context;
import javax.naming.InitialContext;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;
import org.spreadjms.jms.jndi.SpreadInitialContextFactory;

/** A factory survives Java serialization (as JNDI servers bind it) with every setting, and still connects. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectionFactorySerializationTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    @Test
    void deserializedFactoryHasEverySettingAndConnects() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon,
                "persistentServiceType=AGREED&consumerBufferMessages=500&joinTimeout=PT7S&privateNamePrefix=ser"
                        + "&deserializationAllowlist=com.acme.**");
        SpreadConnectionFactory back = roundTrip(f);
        assertNotSame(f.getSettings(), back.getSettings());
        assertEquals(f.getSettings(), back.getSettings());
        assertEquals(f.getBrokerURI(), back.getBrokerURI());
        assertSendsAndReceives(back);
    }

    @Test
    void deserializedFailoverFactoryKeepsItsDaemonsAndOptionsAndConnects() throws Exception {
        SpreadConnectionFactory f = new SpreadConnectionFactory("spread:failover:(spread://127.0.0.1:" + daemon.port()
                + ",spread://127.0.0.1:1)?failover.sendTimeout=4000&failover.maxReconnectAttempts=3");
        SpreadConnectionFactory back = roundTrip(f);
        assertEquals(f.getSettings(), back.getSettings());
        assertTrue(back.getSettings().isFailover());
        assertEquals(2, back.getSettings().daemons().size());
        assertSendsAndReceives(back);
    }

    @Test
    void factoryFromJndiSerializesAndConnects() throws Exception {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, SpreadInitialContextFactory.class.getName());
        env.put("connectionFactory.orders", JmsTestSupport.uri(daemon, "persistentServiceType=AGREED"));
        ConnectionFactory bound = (ConnectionFactory) new InitialContext(env).lookup("orders");
        SpreadConnectionFactory back = roundTrip((SpreadConnectionFactory) bound);
        assertEquals(((SpreadConnectionFactory) bound).getSettings(), back.getSettings());
        assertSendsAndReceives(back);
    }

    @Test
    void beanSettingsMadeAfterConstructionAreSerializedToo() throws Exception {
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon);
        f.setClientID("serial-client");
        f.setMaxRedeliveries(2);
        f.setConnectTimeout(2500);
        SpreadConnectionFactory back = roundTrip(f);
        assertEquals("serial-client", back.getClientID());
        assertEquals(2, back.getSettings().getMaxRedeliveries());
        assertEquals(2500, back.getSettings().connectTimeout().toMillis());
    }

    private static SpreadConnectionFactory roundTrip(SpreadConnectionFactory f)
            throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(f);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (SpreadConnectionFactory) in.readObject();
        }
    }

    private static void assertSendsAndReceives(SpreadConnectionFactory f) throws Exception {
        try (Connection c = f.createConnection()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Topic topic = s.createTopic(JmsTestSupport.unique("serialized"));
            MessageConsumer consumer = s.createConsumer(topic);
            s.createProducer(topic).send(s.createTextMessage("after deserialization"));
            assertEquals("after deserialization", JmsTestSupport.receive(consumer, TextMessage.class).getText());
        }
    }
}
