package org.spreadjms.jms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MessageRoundTripTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    /** Sends {@code m} from one connection to another (made from {@code factory}) and returns what arrives. */
    private static <M extends Message> M roundTrip(SpreadConnectionFactory receiverFactory, Session sender, M m,
                                                   Class<M> type) throws Exception {
        try (Connection c = JmsTestSupport.started(receiverFactory)) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("roundtrip"));
            MessageConsumer consumer = s.createConsumer(t);
            sender.createProducer(t).send(m);
            return JmsTestSupport.receive(consumer, type);
        }
    }

    private static <M extends Message> M roundTrip(Session sender, M m, Class<M> type) throws Exception {
        return roundTrip(JmsTestSupport.factory(daemon), sender, m, type);
    }

    @Test
    void allFiveBodyTypesAndThePlainMessageRoundTrip() throws Exception {
        try (Connection p = JmsTestSupport.factory(daemon).createConnection()) {
            Session s = p.createSession();
            assertEquals("text ü", roundTrip(s, s.createTextMessage("text ü"), TextMessage.class).getText());

            BytesMessage bytes = s.createBytesMessage();
            bytes.writeInt(42);
            bytes.writeUTF("utf");
            BytesMessage gotBytes = roundTrip(s, bytes, BytesMessage.class);
            assertEquals(42, gotBytes.readInt());
            assertEquals("utf", gotBytes.readUTF());

            MapMessage map = s.createMapMessage();
            map.setInt("i", 7);
            map.setString("s", "v");
            map.setBytes("b", new byte[] {1, 2});
            map.setDouble("d", 1.5);
            MapMessage gotMap = roundTrip(s, map, MapMessage.class);
            assertEquals(7, gotMap.getInt("i"));
            assertEquals("v", gotMap.getString("s"));
            assertArrayEquals(new byte[] {1, 2}, gotMap.getBytes("b"));
            assertEquals(1.5, gotMap.getDouble("d"));

            StreamMessage stream = s.createStreamMessage();
            stream.writeBoolean(true);
            stream.writeLong(9L);
            stream.writeString("end");
            StreamMessage gotStream = roundTrip(s, stream, StreamMessage.class);
            assertTrue(gotStream.readBoolean());
            assertEquals(9L, gotStream.readLong());
            assertEquals("end", gotStream.readString());

            ObjectMessage object = s.createObjectMessage(new java.util.ArrayList<>(List.of("a", "b")));
            assertEquals(List.of("a", "b"), roundTrip(s, object, ObjectMessage.class).getObject());

            Message plain = s.createMessage();
            plain.setStringProperty("only", "headers");
            assertEquals("headers", roundTrip(s, plain, Message.class).getStringProperty("only"));
        }
    }

    @Test
    void headersAndPropertiesOfEveryTypeRoundTrip() throws Exception {
        try (Connection p = JmsTestSupport.factory(daemon).createConnection()) {
            Session s = p.createSession();
            TextMessage m = s.createTextMessage("h");
            m.setJMSCorrelationID("corr-1");
            m.setJMSType("order");
            m.setJMSReplyTo(s.createQueue("replies"));
            m.setBooleanProperty("bool", true);
            m.setByteProperty("byte", (byte) 1);
            m.setShortProperty("short", (short) 2);
            m.setIntProperty("int", 3);
            m.setLongProperty("long", 4L);
            m.setFloatProperty("float", 5.5f);
            m.setDoubleProperty("double", 6.5);
            m.setStringProperty("string", "seven");
            m.setStringProperty("JMSXGroupID", "group-a");
            m.setIntProperty("JMSXGroupSeq", 3);
            TextMessage got = roundTrip(s, m, TextMessage.class);
            assertEquals("corr-1", got.getJMSCorrelationID());
            assertEquals("order", got.getJMSType());
            assertEquals(s.createQueue("replies"), got.getJMSReplyTo());
            assertEquals(DeliveryMode.PERSISTENT, got.getJMSDeliveryMode());
            assertEquals(Message.DEFAULT_PRIORITY, got.getJMSPriority());
            assertFalse(got.getJMSRedelivered());
            assertEquals(Map.of("bool", true, "byte", (byte) 1, "short", (short) 2, "int", 3, "long", 4L),
                    Map.of("bool", got.getObjectProperty("bool"), "byte", got.getObjectProperty("byte"),
                            "short", got.getObjectProperty("short"), "int", got.getObjectProperty("int"),
                            "long", got.getObjectProperty("long")));
            assertEquals(5.5f, got.getFloatProperty("float"));
            assertEquals(6.5, got.getDoubleProperty("double"));
            assertEquals("seven", got.getStringProperty("string"));
            assertEquals("group-a", got.getStringProperty("JMSXGroupID"));
            assertEquals(3, got.getIntProperty("JMSXGroupSeq"));
            assertEquals(1, got.getIntProperty("JMSXDeliveryCount"));
            assertTrue(java.util.Collections.list(got.getPropertyNames()).contains("JMSXDeliveryCount"));
        }
    }

    @Test
    void correlationIdAsBytesRoundTrips() throws Exception {
        try (Connection p = JmsTestSupport.factory(daemon).createConnection()) {
            Session s = p.createSession();
            Message m = s.createMessage();
            m.setJMSCorrelationIDAsBytes(new byte[] {9, 8, 7});
            assertArrayEquals(new byte[] {9, 8, 7}, roundTrip(s, m, Message.class).getJMSCorrelationIDAsBytes());
        }
    }

    @Test
    void receivedMessagesAreReadOnlyUntilCleared() throws Exception {
        try (Connection p = JmsTestSupport.factory(daemon).createConnection()) {
            Session s = p.createSession();
            TextMessage got = roundTrip(s, s.createTextMessage("ro"), TextMessage.class);
            assertThrows(MessageNotWriteableException.class, () -> got.setText("changed"));
            assertThrows(MessageNotWriteableException.class, () -> got.setStringProperty("p", "v"));
            got.clearBody();
            got.setText("changed");
            got.clearProperties();
            got.setStringProperty("p", "v");
            MapMessage map = roundTrip(s, s.createMapMessage(), MapMessage.class);
            assertThrows(MessageNotWriteableException.class, () -> map.setInt("x", 1));
            BytesMessage bytes = roundTrip(s, s.createBytesMessage(), BytesMessage.class);
            assertThrows(MessageNotWriteableException.class, () -> bytes.writeInt(1));
            StreamMessage stream = roundTrip(s, s.createStreamMessage(), StreamMessage.class);
            assertThrows(MessageNotWriteableException.class, () -> stream.writeInt(1));
            ObjectMessage object = roundTrip(s, s.createObjectMessage("o"), ObjectMessage.class);
            assertThrows(MessageNotWriteableException.class, () -> object.setObject("p"));
        }
    }

    @Test
    void theSenderMayChangeItsMessageAfterSendWithoutAffectingWhatArrives() throws Exception {
        try (Connection c = JmsTestSupport.started(JmsTestSupport.factory(daemon))) {
            Session s = c.createSession();
            Topic t = s.createTopic(JmsTestSupport.unique("roundtrip.reuse"));
            MessageConsumer consumer = s.createConsumer(t);
            MessageProducer producer = s.createProducer(t);
            TextMessage m = s.createTextMessage("first");
            producer.send(m);
            m.setText("second");
            producer.send(m);
            assertEquals("first", JmsTestSupport.receive(consumer, TextMessage.class).getText());
            assertEquals("second", JmsTestSupport.receive(consumer, TextMessage.class).getText());
        }
    }

    @Test
    void objectMessageOfACustomClassIsRefusedByTheDefaultAllowlist() throws Exception {
        try (Connection p = JmsTestSupport.factory(daemon).createConnection()) {
            Session s = p.createSession();
            ObjectMessage got = roundTrip(s, s.createObjectMessage(new OrderLine("sku-1", 2)), ObjectMessage.class);
            MessageFormatException e = assertThrows(MessageFormatException.class, got::getObject);
            assertTrue(e.getMessage().contains(OrderLine.class.getName()), e.getMessage());
        }
    }

    @Test
    void objectMessageOfAnAllowlistedCustomClassDeserializes() throws Exception {
        SpreadConnectionFactory allowing = JmsTestSupport.factory(daemon,
                "deserializationAllowlist=" + OrderLine.class.getName());
        try (Connection p = JmsTestSupport.factory(daemon).createConnection()) {
            Session s = p.createSession();
            ObjectMessage got = roundTrip(allowing, s, s.createObjectMessage(new OrderLine("sku-2", 3)),
                    ObjectMessage.class);
            assertEquals(new OrderLine("sku-2", 3), got.getObject());
            assertEquals(new OrderLine("sku-2", 3), got.getBody(OrderLine.class));
        }
    }

    @Test
    void emptyBodiesArriveAsNull() throws Exception {
        try (Connection p = JmsTestSupport.factory(daemon).createConnection()) {
            Session s = p.createSession();
            assertNull(roundTrip(s, s.createTextMessage(), TextMessage.class).getText());
            assertNull(roundTrip(s, s.createObjectMessage(), ObjectMessage.class).getObject());
        }
    }
}
