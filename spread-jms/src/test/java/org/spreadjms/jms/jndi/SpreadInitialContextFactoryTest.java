package org.spreadjms.jms.jndi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Hashtable;
import java.util.concurrent.TimeUnit;

import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.OperationNotSupportedException;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;
import org.spreadjms.jms.SpreadConnectionFactory;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpreadInitialContextFactoryTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private Context context(String... keyValues) throws NamingException {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, SpreadInitialContextFactory.class.getName());
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return new InitialContext(env);
    }

    @Test
    void jndiPropertiesFormatBindsFactoriesAndDestinationsThatWorkEndToEnd() throws Exception {
        String url = "spread://127.0.0.1:" + daemon.port();
        Context ctx = context("connectionFactory.orders", url + "?persistentServiceType=AGREED",
                "queue.work", "jndi.work", "topic.events", "jndi.events");
        ConnectionFactory cf = (ConnectionFactory) ctx.lookup("orders");
        assertEquals("AGREED", ((SpreadConnectionFactory) cf).getPersistentServiceType().name());
        Topic topic = (Topic) ctx.lookup("events");
        assertEquals("jndi.events", topic.getTopicName());
        assertEquals("jndi.work", ((Queue) ctx.lookup("work")).getQueueName());
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(topic);
            s.createProducer(topic).send(s.createTextMessage("via jndi"));
            TextMessage m = (TextMessage) consumer.receive(5000);
            assertNotNull(m);
            assertEquals("via jndi", m.getText());
        }
    }

    @Test
    void providerUrlGivesTheDefaultFactoryNames() throws Exception {
        Context ctx = context(Context.PROVIDER_URL, "spread://127.0.0.1:" + daemon.port());
        assertInstanceOf(SpreadConnectionFactory.class, ctx.lookup("ConnectionFactory"));
        assertInstanceOf(SpreadConnectionFactory.class, ctx.lookup("QueueConnectionFactory"));
        assertInstanceOf(SpreadConnectionFactory.class, ctx.lookup("TopicConnectionFactory"));
    }

    @Test
    void dynamicQueuesAndTopicsAreCreatedOnLookup() throws Exception {
        Context ctx = context();
        assertEquals("any.queue", ((Queue) ctx.lookup("dynamicQueues/any.queue")).getQueueName());
        assertEquals("any.topic", ((Topic) ctx.lookup("dynamicTopics/any.topic")).getTopicName());
    }

    @Test
    void unknownNameFailsWithTheBoundNames() throws Exception {
        Context ctx = context("queue.work", "work");
        NameNotFoundException e = assertThrows(NameNotFoundException.class, () -> ctx.lookup("missing"));
        assertTrue(e.getMessage().contains("work"), e.getMessage());
    }

    @Test
    void badUriOptionFailsContextCreationNamingTheEntry() {
        NamingException e = assertThrows(NamingException.class,
                () -> context("connectionFactory.bad", "spread://127.0.0.1:4803?noSuchOption=1").lookup("bad"));
        assertTrue(e.getMessage().contains("noSuchOption"), e.getMessage());
        assertTrue(e.getMessage().contains("connectionFactory.bad"), e.getMessage());
    }

    @Test
    void contextIsReadOnly() throws Exception {
        Context ctx = context();
        assertThrows(OperationNotSupportedException.class, () -> ctx.bind("x", "y"));
        assertThrows(OperationNotSupportedException.class, () -> ctx.unbind("ConnectionFactory"));
    }
}
