package org.spreadjms.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.DeliveryMode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.Queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spreadjms.jms.destination.SpreadQueue;
import org.spreadjms.jms.destination.SpreadTopic;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpreadMessageTest {

    @Test
    void newMessageHasJmsDefaults() {
        SpreadMessage m = new SpreadPlainMessage();
        assertEquals(DeliveryMode.PERSISTENT, m.getJMSDeliveryMode());
        assertEquals(Message.DEFAULT_PRIORITY, m.getJMSPriority());
        assertNull(m.getJMSMessageID());
        assertFalse(m.getJMSRedelivered());
        assertFalse(m.getPropertyNames().hasMoreElements());
    }

    @Test
    void headersAreStoredAndReturned() throws JMSException {
        SpreadMessage m = new SpreadTextMessage();
        SpreadTopic t = new SpreadTopic("orders");
        SpreadQueue q = new SpreadQueue("replies");
        m.setJMSMessageID("ID:1");
        m.setJMSTimestamp(11);
        m.setJMSCorrelationID("c");
        m.setJMSReplyTo(q);
        m.setJMSDestination(t);
        m.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        m.setJMSRedelivered(true);
        m.setJMSType("type");
        m.setJMSExpiration(22);
        m.setJMSDeliveryTime(33);
        m.setJMSPriority(9);
        assertEquals("ID:1", m.getJMSMessageID());
        assertEquals(11, m.getJMSTimestamp());
        assertEquals("c", m.getJMSCorrelationID());
        assertSame(q, m.getJMSReplyTo());
        assertSame(t, m.getJMSDestination());
        assertEquals(DeliveryMode.NON_PERSISTENT, m.getJMSDeliveryMode());
        assertTrue(m.getJMSRedelivered());
        assertEquals("type", m.getJMSType());
        assertEquals(22, m.getJMSExpiration());
        assertEquals(33, m.getJMSDeliveryTime());
        assertEquals(9, m.getJMSPriority());
    }

    @Test
    void correlationIdHasStringAndBytesForms() {
        SpreadMessage m = new SpreadPlainMessage();
        byte[] id = {1, 2, 3};
        m.setJMSCorrelationIDAsBytes(id);
        id[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, m.getJMSCorrelationIDAsBytes());
        m.setJMSCorrelationID("abc");
        assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), m.getJMSCorrelationIDAsBytes());
        m.setJMSCorrelationID(null);
        assertNull(m.getJMSCorrelationIDAsBytes());
    }

    @Test
    void foreignQueueReplyToIsMappedByName() throws JMSException {
        SpreadMessage m = new SpreadPlainMessage();
        Queue foreign = () -> "work";
        m.setJMSReplyTo(foreign);
        assertEquals(new SpreadQueue("work"), m.getJMSReplyTo());
    }

    @Test
    void foreignTemporaryQueueReplyToIsRefused() {
        SpreadMessage m = new SpreadPlainMessage();
        jakarta.jms.TemporaryQueue foreign = new jakarta.jms.TemporaryQueue() {
            @Override
            public void delete() {
            }

            @Override
            public String getQueueName() {
                return "tmp";
            }
        };
        assertThrowsExactly(InvalidDestinationException.class, () -> m.setJMSReplyTo(foreign));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NULL", "true", "False", "not", "AND", "or", "Between", "LIKE", "in", "IS", "escape"})
    void reservedSelectorWordsAreRefusedAsPropertyNames(String name) {
        SpreadMessage m = new SpreadPlainMessage();
        assertThrowsExactly(IllegalArgumentException.class, () -> m.setIntProperty(name, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1abc", "a-b", "a b", "a.b"})
    void nonIdentifierPropertyNamesAreRefused(String name) {
        SpreadMessage m = new SpreadPlainMessage();
        assertThrowsExactly(IllegalArgumentException.class, () -> m.setStringProperty(name, "x"));
    }

    @Test
    void nullPropertyNameIsRefused() {
        SpreadMessage m = new SpreadPlainMessage();
        assertThrowsExactly(IllegalArgumentException.class, () -> m.setBooleanProperty(null, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "_x", "$y", "JMSXGroupID", "notes", "Inside", "\u00e9t\u00e9"})
    void identifierPropertyNamesAreAccepted(String name) throws JMSException {
        SpreadMessage m = new SpreadPlainMessage();
        m.setStringProperty(name, "v");
        assertEquals("v", m.getStringProperty(name));
    }

    @Test
    void setObjectPropertyRefusesOtherTypes() {
        SpreadMessage m = new SpreadPlainMessage();
        assertThrowsExactly(MessageFormatException.class, () -> m.setObjectProperty("p", 'c'));
        assertThrowsExactly(MessageFormatException.class, () -> m.setObjectProperty("p", new byte[1]));
        assertThrowsExactly(MessageFormatException.class, () -> m.setObjectProperty("p", List.of()));
    }

    @Test
    void setObjectPropertyAcceptsEveryPropertyType() throws JMSException {
        SpreadMessage m = new SpreadPlainMessage();
        List<Object> values = List.of(true, (byte) 1, (short) 2, 3, 4L, 5f, 6d, "s");
        for (int i = 0; i < values.size(); i++) {
            m.setObjectProperty("p" + i, values.get(i));
            assertEquals(values.get(i), m.getObjectProperty("p" + i));
        }
        assertEquals(values.size(), Collections.list(m.getPropertyNames()).size());
    }

    @Test
    void receivedPropertiesAreReadOnlyUntilClearProperties() throws JMSException {
        SpreadMessage m = new SpreadPlainMessage();
        m.setIntProperty("a", 1);
        m.setReadOnly(true, true);
        assertThrowsExactly(MessageNotWriteableException.class, () -> m.setIntProperty("b", 2));
        assertThrowsExactly(MessageNotWriteableException.class, () -> m.setObjectProperty("b", "x"));
        assertEquals(1, m.getIntProperty("a"));
        m.clearProperties();
        assertFalse(m.propertyExists("a"));
        m.setIntProperty("b", 2);
        assertEquals(2, m.getIntProperty("b"));
    }

    @Test
    void headersStayWritableOnReceivedMessages() throws JMSException {
        SpreadMessage m = new SpreadPlainMessage();
        m.setReadOnly(true, true);
        m.setJMSType("t");
        m.setJMSCorrelationID("c");
        assertEquals("t", m.getJMSType());
    }

    @Test
    void deliveryCountIsAnIntPropertyOnlyWhenSet() throws JMSException {
        SpreadMessage m = new SpreadPlainMessage();
        assertFalse(m.propertyExists(SpreadMessage.JMSX_DELIVERY_COUNT));
        m.setDeliveryCount(3);
        assertEquals(3, m.getIntProperty("JMSXDeliveryCount"));
        assertEquals(3L, m.getLongProperty("JMSXDeliveryCount"));
        assertEquals("3", m.getStringProperty("JMSXDeliveryCount"));
        assertEquals(3, m.getObjectProperty("JMSXDeliveryCount"));
        assertTrue(Collections.list(m.getPropertyNames()).contains("JMSXDeliveryCount"));
        m.clearProperties();
        assertEquals(3, m.getIntProperty("JMSXDeliveryCount"), "provider-set, survives clearProperties");
    }

    @Test
    void groupPropertiesPassThroughAsNormalProperties() throws JMSException {
        SpreadMessage m = new SpreadPlainMessage();
        m.setStringProperty("JMSXGroupID", "g");
        m.setIntProperty("JMSXGroupSeq", 5);
        assertEquals("g", m.getStringProperty("JMSXGroupID"));
        assertEquals(5, m.getIntProperty("JMSXGroupSeq"));
    }

    @Test
    void acknowledgeCallsTheCallbackAndPropagatesItsException() throws JMSException {
        SpreadMessage m = new SpreadPlainMessage();
        m.acknowledge();
        AtomicInteger calls = new AtomicInteger();
        m.setAcknowledgeCallback(calls::incrementAndGet);
        m.acknowledge();
        assertEquals(1, calls.get());
        m.setAcknowledgeCallback(() -> {
            throw new IllegalStateException("session closed");
        });
        assertThrowsExactly(IllegalStateException.class, m::acknowledge);
    }

    @Test
    void plainMessageBodyIsNullAndAssignableToAnything() throws JMSException {
        SpreadMessage m = new SpreadPlainMessage();
        assertNull(m.getBody(String.class));
        assertTrue(m.isBodyAssignableTo(Integer.class));
    }

    @Test
    void textMessageGetBodyFollowsJms2Rules() throws JMSException {
        SpreadTextMessage m = new SpreadTextMessage();
        assertNull(m.getBody(Integer.class), "no body: null for any type");
        assertTrue(m.isBodyAssignableTo(Integer.class));
        m.setText("hi");
        assertEquals("hi", m.getBody(String.class));
        assertEquals("hi", m.getBody(CharSequence.class));
        assertEquals("hi", m.getBody(Object.class));
        assertTrue(m.isBodyAssignableTo(String.class));
        assertFalse(m.isBodyAssignableTo(Integer.class));
        assertThrowsExactly(MessageFormatException.class, () -> m.getBody(Integer.class));
    }

    @Test
    void textBodyIsReadOnlyWhenReceivedAndWritableAfterClearBody() throws JMSException {
        SpreadTextMessage m = new SpreadTextMessage("a");
        m.setReadOnly(true, true);
        assertThrowsExactly(MessageNotWriteableException.class, () -> m.setText("b"));
        m.clearBody();
        assertNull(m.getText());
        m.setText("b");
        assertEquals("b", m.getText());
    }

    @Test
    void mapMessageGetBodyIsACopyAsMap() throws JMSException {
        SpreadMapMessage m = new SpreadMapMessage();
        assertNull(m.getBody(Map.class));
        m.setInt("i", 1);
        m.setBytes("b", new byte[] {1});
        @SuppressWarnings("unchecked")
        Map<String, Object> body = m.getBody(Map.class);
        assertEquals(1, body.get("i"));
        ((byte[]) body.get("b"))[0] = 9;
        assertArrayEquals(new byte[] {1}, m.getBytes("b"));
        assertTrue(m.isBodyAssignableTo(Map.class));
        assertFalse(m.isBodyAssignableTo(HashMap.class));
        assertThrowsExactly(MessageFormatException.class, () -> m.getBody(String.class));
    }

    @Test
    void streamMessageBodyIsNeverAssignable() throws JMSException {
        SpreadStreamMessage m = new SpreadStreamMessage();
        assertFalse(m.isBodyAssignableTo(Object.class));
        assertThrowsExactly(MessageFormatException.class, () -> m.getBody(Object.class));
    }

    @Test
    void copyIsDeepAndIndependent() throws JMSException {
        SpreadMapMessage m = new SpreadMapMessage();
        m.setBytes("b", new byte[] {1});
        m.setStringProperty("p", "v");
        m.setJMSCorrelationIDAsBytes(new byte[] {7});
        m.setSpreadSender("#a#d");
        m.setSpreadMessType((short) 5);
        m.setDeliveryCount(2);
        m.setAcknowledgeCallback(() -> { });
        SpreadMapMessage c = (SpreadMapMessage) m.copy();
        assertNotSame(m, c);
        m.setBytes("b", new byte[] {2});
        m.setStringProperty("p", "changed");
        assertArrayEquals(new byte[] {1}, c.getBytes("b"));
        assertEquals("v", c.getStringProperty("p"));
        assertArrayEquals(new byte[] {7}, c.getJMSCorrelationIDAsBytes());
        assertEquals("#a#d", c.getSpreadSender());
        assertEquals(5, c.getSpreadMessType());
        assertEquals(2, c.getDeliveryCount());
        assertNull(c.getAcknowledgeCallback());
    }

    @Test
    void createMakesEveryBodyType() {
        for (BodyType t : BodyType.values()) {
            assertEquals(t, SpreadMessage.create(t).bodyType());
            assertEquals(t, BodyType.fromWire(t.wireValue()));
        }
        assertNull(BodyType.fromWire(6));
        assertNull(BodyType.fromWire(-1));
    }
}
