package org.spreadjms.jms.message;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;

import org.spreadjms.jms.destination.SpreadDestination;

/**
 * The JMS rules every message shares: headers, properties with the JMS conversion table, the read-only switches of a
 * received message, {@link #getBody(Class)} and {@link #acknowledge()}. Subclasses hold the body.
 *
 * <p>Methods marked <em>provider-internal</em> are public for the JMS layer of this provider; applications should
 * not call them.
 *
 * <p>A message is not thread-safe, as JMS says; only {@link #setAcknowledgeCallback(AcknowledgeCallback)} is safe to
 * call while another thread uses the message.
 */
public abstract class SpreadMessage implements Message {
    /** The provider-set delivery count property. */
    public static final String JMSX_DELIVERY_COUNT = "JMSXDeliveryCount";
    public static final String JMSX_GROUP_ID = "JMSXGroupID";
    public static final String JMSX_GROUP_SEQ = "JMSXGroupSeq";

    private String messageId;
    private long timestamp;
    private String correlationId;
    private byte[] correlationIdBytes;
    private SpreadDestination replyTo;
    private SpreadDestination destination;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private boolean redelivered;
    private String type;
    private long expiration;
    private long deliveryTime;
    private int priority = Message.DEFAULT_PRIORITY;

    private final MessageProperties properties = new MessageProperties();
    private int deliveryCount;
    private boolean bodyReadOnly;
    private volatile AcknowledgeCallback acknowledgeCallback;
    private String spreadSender;
    private short spreadMessType;
    private int wireSize;

    SpreadMessage() {
    }

    /** A new, empty message of the given body type. */
    public static SpreadMessage create(BodyType type) {
        return switch (type) {
            case MESSAGE -> new SpreadPlainMessage();
            case BYTES -> new SpreadBytesMessage();
            case TEXT -> new SpreadTextMessage();
            case MAP -> new SpreadMapMessage();
            case OBJECT -> new SpreadObjectMessage();
            case STREAM -> new SpreadStreamMessage();
        };
    }

    // ---- body, implemented by the subclasses

    /** Bytes the body will take in an envelope, roughly (sizes the encoder's buffer once). */
    int bodySizeHint() {
        return 0;
    }

    /** Provider-internal: the body type. */
    public abstract BodyType bodyType();

    /** Whether the body holds anything; getBody returns null when it does not. */
    abstract boolean hasBody();

    /** Whether a (non-empty) body can be returned as {@code c}. */
    abstract boolean isBodyAssignable(Class<?> c) throws JMSException;

    /** The body as getBody returns it (a copy where mutable). */
    abstract Object bodyValue() throws JMSException;

    abstract void clearBodyContent();

    /** A new, empty instance of the same class. */
    abstract SpreadMessage newInstance();

    /** Copies the body deeply into {@code target} (of the same class), including the read/write mode. */
    abstract void copyBodyTo(SpreadMessage target);

    /** Called when the body becomes read-only: Bytes and Stream messages switch to read mode. */
    void enterReadMode() {
    }

    final boolean isBodyReadOnly() {
        return bodyReadOnly;
    }

    final void checkBodyWritable() throws MessageNotWriteableException {
        if (bodyReadOnly) {
            throw new MessageNotWriteableException("message body is read-only (received message); call clearBody()"
                    + " to make it writable");
        }
    }

    @Override
    public void clearBody() throws JMSException {
        bodyReadOnly = false;
        clearBodyContent();
    }

    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        if (!hasBody()) {
            return null;
        }
        if (!isBodyAssignable(c)) {
            throw new MessageFormatException("the body of this " + bodyType() + " message cannot be returned as "
                    + (c == null ? "null" : c.getName()));
        }
        return c.cast(bodyValue());
    }

    @SuppressWarnings("rawtypes")
    @Override
    public boolean isBodyAssignableTo(Class c) throws JMSException {
        return !hasBody() || isBodyAssignable(c);
    }

    // ---- provider-internal

    /**
     * Provider-internal: makes body and/or properties read-only, as for a received message. A read-only Bytes or
     * Stream body is put in read mode at its start.
     */
    public void setReadOnly(boolean body, boolean properties) {
        this.bodyReadOnly = body;
        if (body) {
            enterReadMode();
        }
        this.properties.setReadOnly(properties);
    }

    /** Provider-internal: whether the properties are read-only. */
    public boolean arePropertiesReadOnly() {
        return properties.isReadOnly();
    }

    /**
     * Provider-internal: a deep copy (headers, properties, body, read-only switches, delivery count, Spread sender
     * and message type), so that the application may change its message once sent. The acknowledge callback is not
     * copied.
     */
    public SpreadMessage copy() {
        SpreadMessage c = newInstance();
        c.messageId = messageId;
        c.timestamp = timestamp;
        c.correlationId = correlationId;
        c.correlationIdBytes = correlationIdBytes == null ? null : correlationIdBytes.clone();
        c.replyTo = replyTo;
        c.destination = destination;
        c.deliveryMode = deliveryMode;
        c.redelivered = redelivered;
        c.type = type;
        c.expiration = expiration;
        c.deliveryTime = deliveryTime;
        c.priority = priority;
        properties.copyInto(c.properties);
        c.deliveryCount = deliveryCount;
        c.bodyReadOnly = bodyReadOnly;
        c.spreadSender = spreadSender;
        c.spreadMessType = spreadMessType;
        c.wireSize = wireSize;
        copyBodyTo(c);
        return c;
    }

    /** Provider-internal: bytes this message took on the wire (its envelope), 0 if it was not received. */
    public int wireSize() {
        return wireSize;
    }

    /** Provider-internal: records the bytes the received message took on the wire. */
    public void setWireSize(int bytes) {
        this.wireSize = bytes;
    }

    /** Provider-internal: sets what {@link #acknowledge()} does (null: nothing). */
    public void setAcknowledgeCallback(AcknowledgeCallback callback) {
        this.acknowledgeCallback = callback;
    }

    public AcknowledgeCallback getAcknowledgeCallback() {
        return acknowledgeCallback;
    }

    /** Provider-internal: sets JMSXDeliveryCount (0 means not set: the property is then absent). */
    public void setDeliveryCount(int count) {
        this.deliveryCount = count;
    }

    public int getDeliveryCount() {
        return deliveryCount;
    }

    /** Provider-internal: the Spread private group of the sender (not a JMS property), or null. */
    public String getSpreadSender() {
        return spreadSender;
    }

    public void setSpreadSender(String spreadSender) {
        this.spreadSender = spreadSender;
    }

    /** Provider-internal: the 16-bit Spread message type the message arrived with. */
    public short getSpreadMessType() {
        return spreadMessType;
    }

    public void setSpreadMessType(short spreadMessType) {
        this.spreadMessType = spreadMessType;
    }

    /** Provider-internal: JMSDestination as a Spread destination. */
    public SpreadDestination spreadDestination() {
        return destination;
    }

    /** Provider-internal: JMSReplyTo as a Spread destination. */
    public SpreadDestination spreadReplyTo() {
        return replyTo;
    }

    /** The raw correlation id bytes if it was set as bytes, else null (for the envelope). */
    final byte[] correlationIdBytesOrNull() {
        return correlationIdBytes;
    }

    /** Provider-internal: the application properties, unmodifiable, in insertion order (without JMSXDeliveryCount). */
    public Map<String, Object> propertyMap() {
        return properties.asMap();
    }

    /** Stores a property without any check; the envelope decoder uses it. */
    final void putPropertyUnchecked(String name, Object value) {
        properties.put(name, value);
    }

    // ---- acknowledge

    @Override
    public void acknowledge() throws JMSException {
        AcknowledgeCallback callback = acknowledgeCallback;
        if (callback != null) {
            callback.acknowledge();
        }
    }

    // ---- headers

    @Override
    public String getJMSMessageID() {
        return messageId;
    }

    @Override
    public void setJMSMessageID(String id) {
        this.messageId = id;
    }

    @Override
    public long getJMSTimestamp() {
        return timestamp;
    }

    @Override
    public void setJMSTimestamp(long timestamp) {
        this.timestamp = timestamp;
    }

    /** The correlation id as bytes: a copy of the bytes if set as bytes, else the UTF-8 bytes of the string form. */
    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        if (correlationIdBytes != null) {
            return correlationIdBytes.clone();
        }
        return correlationId == null ? null : correlationId.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void setJMSCorrelationIDAsBytes(byte[] correlationID) {
        this.correlationIdBytes = correlationID == null ? null : correlationID.clone();
        this.correlationId = null;
    }

    /** The correlation id: the string form, or the bytes form decoded as UTF-8. */
    @Override
    public String getJMSCorrelationID() {
        if (correlationIdBytes != null) {
            return new String(correlationIdBytes, StandardCharsets.UTF_8);
        }
        return correlationId;
    }

    @Override
    public void setJMSCorrelationID(String correlationID) {
        this.correlationId = correlationID;
        this.correlationIdBytes = null;
    }

    @Override
    public Destination getJMSReplyTo() {
        return replyTo;
    }

    /**
     * Sets JMSReplyTo; a foreign Queue or Topic is turned into a Spread one by name.
     *
     * @throws jakarta.jms.InvalidDestinationException for a destination that cannot be mapped
     */
    @Override
    public void setJMSReplyTo(Destination replyTo) throws JMSException {
        this.replyTo = SpreadDestination.from(replyTo);
    }

    @Override
    public Destination getJMSDestination() {
        return destination;
    }

    @Override
    public void setJMSDestination(Destination destination) throws JMSException {
        this.destination = SpreadDestination.from(destination);
    }

    @Override
    public int getJMSDeliveryMode() {
        return deliveryMode;
    }

    @Override
    public void setJMSDeliveryMode(int deliveryMode) {
        this.deliveryMode = deliveryMode;
    }

    @Override
    public boolean getJMSRedelivered() {
        return redelivered;
    }

    @Override
    public void setJMSRedelivered(boolean redelivered) {
        this.redelivered = redelivered;
    }

    @Override
    public String getJMSType() {
        return type;
    }

    @Override
    public void setJMSType(String type) {
        this.type = type;
    }

    @Override
    public long getJMSExpiration() {
        return expiration;
    }

    @Override
    public void setJMSExpiration(long expiration) {
        this.expiration = expiration;
    }

    @Override
    public long getJMSDeliveryTime() {
        return deliveryTime;
    }

    @Override
    public void setJMSDeliveryTime(long deliveryTime) {
        this.deliveryTime = deliveryTime;
    }

    @Override
    public int getJMSPriority() {
        return priority;
    }

    @Override
    public void setJMSPriority(int priority) {
        this.priority = priority;
    }

    // ---- properties

    /**
     * Clears the application properties and makes them writable. JMSXDeliveryCount, set by the provider, stays.
     */
    @Override
    public void clearProperties() {
        properties.clear();
    }

    @Override
    public boolean propertyExists(String name) {
        return properties.contains(name) || (deliveryCount > 0 && JMSX_DELIVERY_COUNT.equals(name));
    }

    private Object property(String name) {
        if (deliveryCount > 0 && JMSX_DELIVERY_COUNT.equals(name)) {
            return deliveryCount;
        }
        return properties.get(name);
    }

    private static String what(String name) {
        return "property '" + name + "'";
    }

    @Override
    public boolean getBooleanProperty(String name) throws JMSException {
        return TypedValues.toBoolean(property(name), what(name));
    }

    @Override
    public byte getByteProperty(String name) throws JMSException {
        return TypedValues.toByte(property(name), what(name));
    }

    @Override
    public short getShortProperty(String name) throws JMSException {
        return TypedValues.toShort(property(name), what(name));
    }

    @Override
    public int getIntProperty(String name) throws JMSException {
        return TypedValues.toInt(property(name), what(name));
    }

    @Override
    public long getLongProperty(String name) throws JMSException {
        return TypedValues.toLong(property(name), what(name));
    }

    @Override
    public float getFloatProperty(String name) throws JMSException {
        return TypedValues.toFloat(property(name), what(name));
    }

    @Override
    public double getDoubleProperty(String name) throws JMSException {
        return TypedValues.toDouble(property(name), what(name));
    }

    @Override
    public String getStringProperty(String name) throws JMSException {
        return TypedValues.toText(property(name), what(name));
    }

    @Override
    public Object getObjectProperty(String name) {
        return property(name);
    }

    @Override
    public Enumeration<String> getPropertyNames() {
        Set<String> names = new LinkedHashSet<>(properties.asMap().keySet());
        if (deliveryCount > 0) {
            names.add(JMSX_DELIVERY_COUNT);
        }
        return Collections.enumeration(names);
    }

    @Override
    public void setBooleanProperty(String name, boolean value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setByteProperty(String name, byte value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setShortProperty(String name, short value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setIntProperty(String name, int value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setLongProperty(String name, long value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setFloatProperty(String name, float value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setDoubleProperty(String name, double value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public void setStringProperty(String name, String value) throws JMSException {
        properties.set(name, value);
    }

    /**
     * Sets a property from a Boolean, Byte, Short, Integer, Long, Float, Double or String (or null).
     *
     * @throws MessageFormatException for any other type
     */
    @Override
    public void setObjectProperty(String name, Object value) throws JMSException {
        properties.set(name, value);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{id=" + messageId + ", destination=" + destination + ", replyTo="
                + replyTo + ", correlationId=" + getJMSCorrelationID() + ", properties=" + properties.asMap() + "}";
    }
}
