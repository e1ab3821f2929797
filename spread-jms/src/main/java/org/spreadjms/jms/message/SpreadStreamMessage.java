package org.spreadjms.jms.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.StreamMessage;

/**
 * A message whose body is a sequence of typed values, read back in order with the JMS conversion table (see
 * {@link TypedValues}).
 *
 * <p>Write mode after creation and {@link #clearBody()}, read mode after {@link #reset()}. A read that fails
 * ({@link MessageFormatException}, {@link NumberFormatException}, {@link NullPointerException}) leaves the position
 * where it was; reading past the last value throws {@link MessageEOFException}. A byte[] value may be read in chunks
 * with {@link #readBytes(byte[])}; once started it must be read to its end (the call that returns -1) before any
 * other value can be read.
 */
public final class SpreadStreamMessage extends SpreadMessage implements StreamMessage {
    private final List<Object> values = new ArrayList<>();
    private boolean readMode;
    private int position;
    /** Offset inside the byte[] value being read with readBytes, or -1 when none is being read. */
    private int bytesOffset = -1;

    public SpreadStreamMessage() {
    }

    @Override
    public BodyType bodyType() {
        return BodyType.STREAM;
    }

    /** The values as stored (not copied), for the envelope encoder. */
    List<Object> values() {
        return Collections.unmodifiableList(values);
    }

    /** Appends without checks or copies; the envelope decoder uses it. */
    void addUnchecked(Object value) {
        values.add(value);
    }

    /** A StreamMessage body can never be returned by getBody. */
    @Override
    boolean hasBody() {
        return true;
    }

    @Override
    boolean isBodyAssignable(Class<?> c) {
        return false;
    }

    @Override
    Object bodyValue() throws JMSException {
        throw new MessageFormatException("a StreamMessage body cannot be returned by getBody");
    }

    @Override
    void clearBodyContent() {
        values.clear();
        readMode = false;
        position = 0;
        bytesOffset = -1;
    }

    @Override
    void enterReadMode() {
        reset();
    }

    @Override
    SpreadMessage newInstance() {
        return new SpreadStreamMessage();
    }

    @Override
    void copyBodyTo(SpreadMessage target) {
        SpreadStreamMessage t = (SpreadStreamMessage) target;
        t.values.clear();
        for (Object v : values) {
            t.values.add(TypedValues.copyOf(v));
        }
        t.readMode = readMode;
        t.position = position;
        t.bytesOffset = bytesOffset;
    }

    /** Puts the body in read mode at its first value. */
    @Override
    public void reset() {
        readMode = true;
        position = 0;
        bytesOffset = -1;
    }

    // ---- reading

    /** The value at the position, checked readable; the position does not move. */
    private Object current() throws JMSException {
        if (!readMode) {
            throw new MessageNotReadableException("stream message is in write mode; call reset() before reading");
        }
        if (bytesOffset >= 0) {
            throw new MessageFormatException("a byte[] value is being read with readBytes; read it to its end"
                    + " (until readBytes returns -1) before reading the next value");
        }
        if (position >= values.size()) {
            throw new MessageEOFException("no more values in the stream message (" + values.size() + " in all)");
        }
        return values.get(position);
    }

    private String what() {
        return "stream value " + position;
    }

    @Override
    public boolean readBoolean() throws JMSException {
        boolean r = TypedValues.toBoolean(current(), what());
        position++;
        return r;
    }

    @Override
    public byte readByte() throws JMSException {
        byte r = TypedValues.toByte(current(), what());
        position++;
        return r;
    }

    @Override
    public short readShort() throws JMSException {
        short r = TypedValues.toShort(current(), what());
        position++;
        return r;
    }

    @Override
    public char readChar() throws JMSException {
        char r = TypedValues.toChar(current(), what());
        position++;
        return r;
    }

    @Override
    public int readInt() throws JMSException {
        int r = TypedValues.toInt(current(), what());
        position++;
        return r;
    }

    @Override
    public long readLong() throws JMSException {
        long r = TypedValues.toLong(current(), what());
        position++;
        return r;
    }

    @Override
    public float readFloat() throws JMSException {
        float r = TypedValues.toFloat(current(), what());
        position++;
        return r;
    }

    @Override
    public double readDouble() throws JMSException {
        double r = TypedValues.toDouble(current(), what());
        position++;
        return r;
    }

    @Override
    public String readString() throws JMSException {
        String r = TypedValues.toText(current(), what());
        position++;
        return r;
    }

    /** The value in its wrapper type (a copy for byte[]), or null. */
    @Override
    public Object readObject() throws JMSException {
        Object r = TypedValues.copyOf(current());
        position++;
        return r;
    }

    /**
     * Reads the next chunk of a byte[] value: fills {@code value} if at least {@code value.length} bytes remain, else
     * reads the rest and returns fewer. The call after the last byte has been read returns -1 and moves to the next
     * value; a null value returns -1 at once.
     */
    @Override
    public int readBytes(byte[] value) throws JMSException {
        Objects.requireNonNull(value, "value");
        if (bytesOffset < 0) {
            Object v = current();
            if (v == null) {
                position++;
                return -1;
            }
            if (!(v instanceof byte[])) {
                throw new MessageFormatException(what() + " holds a " + TypedValues.typeName(v)
                        + " value, which cannot be read as byte[] (JMS type conversion table)");
            }
            bytesOffset = 0;
        }
        byte[] field = (byte[]) values.get(position);
        int remaining = field.length - bytesOffset;
        if (remaining == 0) {
            bytesOffset = -1;
            position++;
            return -1;
        }
        int n = Math.min(value.length, remaining);
        System.arraycopy(field, bytesOffset, value, 0, n);
        bytesOffset += n;
        return n;
    }

    // ---- writing

    private void add(Object value) throws MessageNotWriteableException {
        checkBodyWritable();
        if (readMode) {
            throw new MessageNotWriteableException("stream message is in read mode; call clearBody() before writing");
        }
        values.add(value);
    }

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        add(value);
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        add(value);
    }

    @Override
    public void writeShort(short value) throws JMSException {
        add(value);
    }

    @Override
    public void writeChar(char value) throws JMSException {
        add(value);
    }

    @Override
    public void writeInt(int value) throws JMSException {
        add(value);
    }

    @Override
    public void writeLong(long value) throws JMSException {
        add(value);
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        add(value);
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        add(value);
    }

    @Override
    public void writeString(String value) throws JMSException {
        add(value);
    }

    /** Writes a copy of {@code value} (null allowed) as one value. */
    @Override
    public void writeBytes(byte[] value) throws JMSException {
        add(value == null ? null : value.clone());
    }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        Objects.checkFromIndexSize(offset, length, value.length);
        add(Arrays.copyOfRange(value, offset, offset + length));
    }

    /**
     * Writes a Boolean, Byte, Short, Character, Integer, Long, Float, Double, String or byte[] (copied), or null.
     *
     * @throws MessageFormatException for any other type
     */
    @Override
    public void writeObject(Object value) throws JMSException {
        if (!TypedValues.isBodyType(value)) {
            throw new MessageFormatException("StreamMessage.writeObject cannot write a " + value.getClass().getName()
                    + " (allowed: Boolean, Byte, Short, Character, Integer, Long, Float, Double, String, byte[])");
        }
        add(TypedValues.copyOf(value));
    }
}
