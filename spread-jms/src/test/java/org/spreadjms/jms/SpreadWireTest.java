package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.client.DataMessage;
import org.spreadjms.client.ServiceType;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;
import org.spreadjms.jms.message.MessageEnvelope;

/**
 * What JMS puts on the Spread wire, seen by a plain spread-client program joined to the group: service types per
 * delivery mode, the envelope, raw bodies; and plain Spread messages arriving at JMS consumers.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpreadWireTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    /** Sends one message in each delivery mode to {@code topicName} and returns the two service types seen. */
    private static ServiceType[] serviceTypes(SpreadConnectionFactory f, String topicName, String group)
            throws Exception {
        try (RawSpreadClient raw = new RawSpreadClient(daemon).join(group); Connection c = f.createConnection()) {
            Session s = c.createSession();
            MessageProducer producer = s.createProducer(s.createTopic(topicName));
            producer.send(s.createTextMessage("np"), DeliveryMode.NON_PERSISTENT, 4, 0);
            producer.send(s.createTextMessage("p"), DeliveryMode.PERSISTENT, 4, 0);
            return new ServiceType[] {raw.nextData().serviceType(), raw.nextData().serviceType()};
        }
    }

    @Test
    void deliveryModesMapToFifoAndSafeByDefault() throws Exception {
        String name = JmsTestSupport.unique("wire.default");
        assertArrayEquals(new ServiceType[] {ServiceType.FIFO, ServiceType.SAFE},
                serviceTypes(JmsTestSupport.factory(daemon), name, name));
    }

    @Test
    void factoryUriOptionsChooseTheServiceTypes() throws Exception {
        String name = JmsTestSupport.unique("wire.factory");
        SpreadConnectionFactory f = JmsTestSupport.factory(daemon,
                "nonPersistentServiceType=RELIABLE&persistentServiceType=AGREED");
        assertArrayEquals(new ServiceType[] {ServiceType.RELIABLE, ServiceType.AGREED}, serviceTypes(f, name, name));
    }

    @Test
    void destinationOptionsOverrideTheFactory() throws Exception {
        String name = JmsTestSupport.unique("wire.dest");
        assertArrayEquals(new ServiceType[] {ServiceType.AGREED, ServiceType.AGREED},
                serviceTypes(JmsTestSupport.factory(daemon), name + "?serviceType=AGREED", name));
        assertArrayEquals(new ServiceType[] {ServiceType.CAUSAL, ServiceType.RELIABLE},
                serviceTypes(JmsTestSupport.factory(daemon),
                        name + "?nonPersistentServiceType=CAUSAL&persistentServiceType=RELIABLE", name));
    }

    @Test
    void jmsMessagesToAPlainClientCarryTheEnvelope() throws Exception {
        String name = JmsTestSupport.unique("wire.envelope");
        try (RawSpreadClient raw = new RawSpreadClient(daemon).join(name);
             Connection c = JmsTestSupport.factory(daemon).createConnection()) {
            Session s = c.createSession();
            s.createProducer(s.createTopic(name)).send(s.createTextMessage("enveloped"));
            DataMessage d = raw.nextData();
            assertEquals((short) 0x534A, d.messType());
            assertEquals(MessageEnvelope.MAGIC, d.data()[0]);
            assertEquals(MessageEnvelope.VERSION, d.data()[1]);
            assertEquals("enveloped", ((TextMessage) MessageEnvelope.decode(d.data(), null).message()).getText());
        }
    }

    @Test
    void rawDestinationSendsOnlyTheBodyWithTheGivenMessType() throws Exception {
        String name = JmsTestSupport.unique("wire.raw");
        try (RawSpreadClient raw = new RawSpreadClient(daemon).join(name);
             Connection c = JmsTestSupport.factory(daemon).createConnection()) {
            Session s = c.createSession();
            MessageProducer producer = s.createProducer(s.createTopic(name + "?raw=true&messType=7"));
            producer.send(s.createTextMessage("just text"));
            BytesMessage bytes = s.createBytesMessage();
            bytes.writeBytes(new byte[] {1, 2, 3});
            producer.send(bytes);
            DataMessage text = raw.nextData();
            assertEquals(7, text.messType());
            assertArrayEquals("just text".getBytes(StandardCharsets.UTF_8), text.data());
            DataMessage b = raw.nextData();
            assertEquals(7, b.messType());
            assertArrayEquals(new byte[] {1, 2, 3}, b.data());
            assertThrows(MessageFormatException.class, () -> producer.send(s.createMapMessage()));
        }
    }

    @Test
    void rawBodyLargerThanOneSpreadMessageIsAMessageFormatException() throws Exception {
        String name = JmsTestSupport.unique("wire.rawbig");
        try (RawSpreadClient raw = new RawSpreadClient(daemon).join(name);
             Connection c = JmsTestSupport.factory(daemon).createConnection()) {
            Session s = c.createSession();
            MessageProducer producer = s.createProducer(s.createTopic(name + "?raw=true"));
            BytesMessage big = s.createBytesMessage();
            big.writeBytes(new byte[200_000]);
            // a plain Spread program could not reassemble fragments
            assertThrows(MessageFormatException.class, () -> producer.send(big));
            producer.send(s.createTextMessage("small"));
            assertArrayEquals("small".getBytes(StandardCharsets.UTF_8), raw.nextData().data());
        }
    }

    @Test
    void plainClientMessagesArriveAsBytesMessages() throws Exception {
        String name = JmsTestSupport.unique("wire.in");
        try (RawSpreadClient raw = new RawSpreadClient(daemon);
             Connection c = JmsTestSupport.started(JmsTestSupport.factory(daemon))) {
            Session s = c.createSession();
            Topic t = s.createTopic(name);
            MessageConsumer consumer = s.createConsumer(t);
            raw.connection().multicast(ServiceType.AGREED, name, (short) 5, new byte[] {10, 20, 30});
            BytesMessage got = JmsTestSupport.receive(consumer, BytesMessage.class);
            assertEquals(3, got.getBodyLength());
            byte[] body = new byte[3];
            got.readBytes(body);
            assertArrayEquals(new byte[] {10, 20, 30}, body);
            assertEquals(t, got.getJMSDestination());
        }
    }

    @Test
    void plainClientMessagesArriveAsTextWhenConfigured() throws Exception {
        String name = JmsTestSupport.unique("wire.intext");
        try (RawSpreadClient raw = new RawSpreadClient(daemon);
             Connection c = JmsTestSupport.started(JmsTestSupport.factory(daemon, "rawMessagesAsText=true"))) {
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createTopic(name));
            raw.connection().multicast(ServiceType.FIFO, name, (short) 0, "hallo ü".getBytes(StandardCharsets.UTF_8));
            assertEquals("hallo ü", JmsTestSupport.receive(consumer, TextMessage.class).getText());
        }
    }

    @Test
    void plainClientAndJmsApplicationExchangeMessagesBothWays() throws Exception {
        try (RawSpreadClient raw = new RawSpreadClient(daemon);
             Connection c = JmsTestSupport.started(JmsTestSupport.factory(daemon, "rawMessagesAsText=true"))) {
            Session s = c.createSession();
            // JMS -> plain: to the plain program's private group, body only
            String rawPrivate = raw.connection().privateGroup();
            MessageConsumer replies = s.createConsumer(s.createQueue(
                    ((SpreadJmsConnection) c).provider().privateGroup()));
            s.createProducer(s.createQueue(rawPrivate + "?raw=true&messType=3")).send(s.createTextMessage("ping"));
            DataMessage request = raw.nextData();
            assertEquals(3, request.messType());
            assertEquals("ping", new String(request.data(), StandardCharsets.UTF_8));
            // plain -> JMS: a reply to the sender's private group
            raw.connection().multicast(ServiceType.FIFO, request.sender(), (short) 4,
                    "pong".getBytes(StandardCharsets.UTF_8));
            TextMessage reply = JmsTestSupport.receive(replies, TextMessage.class);
            assertEquals("pong", reply.getText());
        }
    }
}
