package org.spreadjms.jms.message;

import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.MessageFormatException;

/**
 * A message whose body is a set of named values (the JMS primitive wrappers, String, Character and byte[]), read
 * with the JMS conversion table (see {@link TypedValues}). A name that is not present reads as null. Byte arrays are
 * copied on the way in and out. Entries keep the order in which they were first set.
 */
public final class SpreadMapMessage extends SpreadMessage implements MapMessage {
    private final LinkedHashMap<String, Object> entries = new LinkedHashMap<>();

    public SpreadMapMessage() {
    }

    @Override
    public BodyType bodyType() {
        return BodyType.MAP;
    }

    /** The entries as stored (not copied), for the envelope encoder. */
    Map<String, Object> entries() {
        return Collections.unmodifiableMap(entries);
    }

    /** Stores without checks or copies; the envelope decoder uses it. */
    void putUnchecked(String name, Object value) {
        entries.put(name, value);
    }

    @Override
    boolean hasBody() {
        return !entries.isEmpty();
    }

    @Override
    boolean isBodyAssignable(Class<?> c) {
        return c != null && c.isAssignableFrom(Map.class);
    }

    /** A new HashMap holding the entries (byte arrays copied). */
    @Override
    Object bodyValue() {
        Map<String, Object> copy = new HashMap<>();
        entries.forEach((k, v) -> copy.put(k, TypedValues.copyOf(v)));
        return copy;
    }

    @Override
    void clearBodyContent() {
        entries.clear();
    }

    @Override
    SpreadMessage newInstance() {
        return new SpreadMapMessage();
    }

    @Override
    void copyBodyTo(SpreadMessage target) {
        SpreadMapMessage t = (SpreadMapMessage) target;
        t.entries.clear();
        entries.forEach((k, v) -> t.entries.put(k, TypedValues.copyOf(v)));
    }

    private static String what(String name) {
        return "map entry '" + name + "'";
    }

    private void checkCanSet(String name) throws JMSException {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("map entry name is " + (name == null ? "null" : "empty")
                    + " (MapMessage names must be non-empty)");
        }
        checkBodyWritable();
    }

    private void put(String name, Object value) throws JMSException {
        checkCanSet(name);
        entries.put(name, value);
    }

    // ---- reading

    @Override
    public boolean getBoolean(String name) throws JMSException {
        return TypedValues.toBoolean(entries.get(name), what(name));
    }

    @Override
    public byte getByte(String name) throws JMSException {
        return TypedValues.toByte(entries.get(name), what(name));
    }

    @Override
    public short getShort(String name) throws JMSException {
        return TypedValues.toShort(entries.get(name), what(name));
    }

    @Override
    public char getChar(String name) throws JMSException {
        return TypedValues.toChar(entries.get(name), what(name));
    }

    @Override
    public int getInt(String name) throws JMSException {
        return TypedValues.toInt(entries.get(name), what(name));
    }

    @Override
    public long getLong(String name) throws JMSException {
        return TypedValues.toLong(entries.get(name), what(name));
    }

    @Override
    public float getFloat(String name) throws JMSException {
        return TypedValues.toFloat(entries.get(name), what(name));
    }

    @Override
    public double getDouble(String name) throws JMSException {
        return TypedValues.toDouble(entries.get(name), what(name));
    }

    @Override
    public String getString(String name) throws JMSException {
        return TypedValues.toText(entries.get(name), what(name));
    }

    @Override
    public byte[] getBytes(String name) throws JMSException {
        return TypedValues.toBytes(entries.get(name), what(name));
    }

    /** The value in its wrapper type (a copy for byte[]), or null. */
    @Override
    public Object getObject(String name) {
        return TypedValues.copyOf(entries.get(name));
    }

    @Override
    public Enumeration<String> getMapNames() {
        return Collections.enumeration(Arrays.asList(entries.keySet().toArray(new String[0])));
    }

    @Override
    public boolean itemExists(String name) {
        return entries.containsKey(name);
    }

    // ---- writing

    @Override
    public void setBoolean(String name, boolean value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setByte(String name, byte value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setShort(String name, short value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setChar(String name, char value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setInt(String name, int value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setLong(String name, long value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setFloat(String name, float value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setDouble(String name, double value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setString(String name, String value) throws JMSException {
        put(name, value);
    }

    /** Stores a copy of {@code value} (null allowed). */
    @Override
    public void setBytes(String name, byte[] value) throws JMSException {
        put(name, value == null ? null : value.clone());
    }

    @Override
    public void setBytes(String name, byte[] value, int offset, int length) throws JMSException {
        checkCanSet(name);
        java.util.Objects.checkFromIndexSize(offset, length, value.length);
        entries.put(name, Arrays.copyOfRange(value, offset, offset + length));
    }

    /**
     * Stores a Boolean, Byte, Short, Character, Integer, Long, Float, Double, String or byte[] (copied), or null.
     *
     * @throws MessageFormatException for any other type
     */
    @Override
    public void setObject(String name, Object value) throws JMSException {
        checkCanSet(name);
        if (!TypedValues.isBodyType(value)) {
            throw new MessageFormatException("map entry '" + name + "' cannot hold a " + value.getClass().getName()
                    + " (allowed: Boolean, Byte, Short, Character, Integer, Long, Float, Double, String, byte[])");
        }
        entries.put(name, TypedValues.copyOf(value));
    }
}
