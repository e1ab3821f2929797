package org.spreadjms.jms.message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;

import org.spreadjms.jms.errors.JmsErrors;


/**
 * A message whose body is a serialized Java object. {@link #setObject(Serializable)} serializes at once (so later
 * changes to the object do not reach the message); {@link #getObject()} deserializes a new copy each time through an
 * {@link ObjectMessageFilter} ({@link ObjectMessageFilter#defaults()} unless the provider set another).
 */
public final class SpreadObjectMessage extends SpreadMessage implements ObjectMessage {
    private byte[] serialized;
    private ObjectMessageFilter filter = ObjectMessageFilter.defaults();

    public SpreadObjectMessage() {
    }

    /** An empty ObjectMessage whose {@link #getObject()} deserializes through {@code filter} (null: defaults). */
    public SpreadObjectMessage(ObjectMessageFilter filter) {
        setObjectFilter(filter);
    }

    @Override
    public BodyType bodyType() {
        return BodyType.OBJECT;
    }

    /** Provider-internal: the filter {@link #getObject()} deserializes through. */
    public void setObjectFilter(ObjectMessageFilter filter) {
        this.filter = filter == null ? ObjectMessageFilter.defaults() : filter;
    }

    public ObjectMessageFilter getObjectFilter() {
        return filter;
    }

    /** The serialized body (not copied), or null; for the envelope. */
    byte[] serializedBody() {
        return serialized;
    }

    void setSerializedBody(byte[] bytes) {
        this.serialized = bytes;
    }

    /**
     * Serializes {@code object} into the body now.
     *
     * @throws MessageFormatException if it cannot be serialized
     */
    @Override
    public void setObject(Serializable object) throws JMSException {
        checkBodyWritable();
        serialized = object == null ? null : serialize(object);
    }

    /**
     * A fresh deserialized copy of the body, or null.
     *
     * @throws MessageFormatException if the filter refuses a class in it (the message names the class) or it cannot
     *                                be deserialized
     */
    @Override
    public Serializable getObject() throws JMSException {
        if (serialized == null) {
            return null;
        }
        Object o = filter.deserialize(serialized);
        if (o != null && !(o instanceof Serializable)) {
            throw new MessageFormatException("ObjectMessage body deserialized to a " + o.getClass().getName()
                    + ", which is not Serializable");
        }
        return (Serializable) o;
    }

    static byte[] serialize(Serializable object) throws MessageFormatException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        } catch (IOException e) {
            throw JmsErrors.withCause(new MessageFormatException("cannot serialize " + object.getClass().getName()
                    + " into an ObjectMessage: " + e), e);
        }
        return bytes.toByteArray();
    }

    /** Deserializes once and checks the result's type. */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        Serializable o = getObject();
        if (o == null) {
            return null;
        }
        if (c == null || !c.isInstance(o)) {
            throw new MessageFormatException("ObjectMessage body is a " + o.getClass().getName()
                    + ", which cannot be returned as " + (c == null ? "null" : c.getName()));
        }
        return c.cast(o);
    }

    @Override
    boolean hasBody() {
        return serialized != null;
    }

    @Override
    boolean isBodyAssignable(Class<?> c) throws JMSException {
        Object o = getObject();
        return c != null && (o == null || c.isInstance(o));
    }

    @Override
    Object bodyValue() throws JMSException {
        return getObject();
    }

    @Override
    void clearBodyContent() {
        serialized = null;
    }

    @Override
    SpreadMessage newInstance() {
        return new SpreadObjectMessage();
    }

    @Override
    void copyBodyTo(SpreadMessage target) {
        SpreadObjectMessage t = (SpreadObjectMessage) target;
        t.serialized = serialized == null ? null : serialized.clone();
        t.filter = filter;
    }
}
