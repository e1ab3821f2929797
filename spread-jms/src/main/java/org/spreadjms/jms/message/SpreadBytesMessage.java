package org.spreadjms.jms.message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.util.Arrays;
import java.util.Objects;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;

import org.spreadjms.jms.errors.JmsErrors;


/**
 * A message whose body is a stream of bytes written and read with {@link java.io.DataOutput} /
 * {@link java.io.DataInput} encodings (big-endian, modified UTF-8 for {@code writeUTF}).
 *
 * <p>After creation and {@link #clearBody()} the body is in write mode: reads throw
 * {@link MessageNotReadableException}. {@link #reset()} switches to read mode at the start: writes throw
 * {@link MessageNotWriteableException}. A read that needs more bytes than remain throws {@link MessageEOFException}
 * and consumes nothing.
 */
public final class SpreadBytesMessage extends SpreadMessage implements BytesMessage {
    private ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** Read mode: the body is {@code data[start..end)}, the next read at {@code position} (an index into data). */
    private byte[] data;
    private int start;
    private int end;
    private int position;

    public SpreadBytesMessage() {
    }

    @Override
    public BodyType bodyType() {
        return BodyType.BYTES;
    }

    private boolean inReadMode() {
        return data != null;
    }

    @Override
    int bodySizeHint() {
        return inReadMode() ? end - start : out.size();
    }

    /** Writes the body into an envelope, without copying it first in write mode. */
    void writeBodyTo(EnvelopeWriter w) {
        if (inReadMode()) {
            w.bytes(data, start, end - start);
        } else {
            w.bytes(out);
        }
    }

    /** The body bytes in either mode; not a copy in read mode when the body is a whole array (only read). */
    byte[] bodyBytes() {
        if (!inReadMode()) {
            return out.toByteArray();
        }
        return start == 0 && end == data.length ? data : Arrays.copyOfRange(data, start, end);
    }

    /** Sets the body and puts it in read mode at the start; the array is kept, not copied. */
    void setBodyForReading(byte[] bytes) {
        setBodyForReading(bytes, 0, bytes.length);
    }

    /**
     * Sets the body to {@code length} bytes of {@code bytes} from {@code offset} and puts it in read mode at the
     * start. The array is kept, not copied: the caller must not change it afterwards (a received envelope's bytes).
     */
    void setBodyForReading(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        data = bytes;
        start = offset;
        end = offset + length;
        position = offset;
        out = null;
    }

    @Override
    boolean hasBody() {
        return inReadMode() ? end > start : out.size() > 0;
    }

    @Override
    boolean isBodyAssignable(Class<?> c) {
        return c != null && c.isAssignableFrom(byte[].class);
    }

    /** The whole body as a copy, whatever the mode and position. */
    @Override
    Object bodyValue() {
        return inReadMode() ? Arrays.copyOfRange(data, start, end) : out.toByteArray();
    }

    @Override
    void clearBodyContent() {
        out = new ByteArrayOutputStream();
        data = null;
        start = 0;
        end = 0;
        position = 0;
    }

    @Override
    void enterReadMode() {
        reset();
    }

    @Override
    SpreadMessage newInstance() {
        return new SpreadBytesMessage();
    }

    @Override
    void copyBodyTo(SpreadMessage target) {
        SpreadBytesMessage t = (SpreadBytesMessage) target;
        if (inReadMode()) {
            t.setBodyForReading(Arrays.copyOfRange(data, start, end));
            t.position = position - start;
        } else {
            t.clearBodyContent();
            t.out.writeBytes(out.toByteArray());
        }
    }

    /** Puts the body in read mode and moves to its start. */
    @Override
    public void reset() {
        if (inReadMode()) {
            position = start;
        } else {
            setBodyForReading(out.toByteArray());
        }
    }

    @Override
    public long getBodyLength() throws JMSException {
        checkReadable();
        return end - start;
    }

    // ---- reading

    private void checkReadable() throws MessageNotReadableException {
        if (!inReadMode()) {
            throw new MessageNotReadableException("bytes message is in write mode; call reset() before reading");
        }
    }

    /** Checks that {@code n} bytes remain and returns the position of the first. */
    private int take(int n, String what) throws JMSException {
        checkReadable();
        if (end - position < n) {
            throw new MessageEOFException("reading " + what + " needs " + n + " bytes but " + (end - position)
                    + " remain in the bytes message");
        }
        int p = position;
        position += n;
        return p;
    }

    private long readBigEndian(int n, String what) throws JMSException {
        int p = take(n, what);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (data[p + i] & 0xFF);
        }
        return v;
    }

    @Override
    public boolean readBoolean() throws JMSException {
        return data[take(1, "a boolean")] != 0;
    }

    @Override
    public byte readByte() throws JMSException {
        return data[take(1, "a byte")];
    }

    @Override
    public int readUnsignedByte() throws JMSException {
        return data[take(1, "an unsigned byte")] & 0xFF;
    }

    @Override
    public short readShort() throws JMSException {
        return (short) readBigEndian(2, "a short");
    }

    @Override
    public int readUnsignedShort() throws JMSException {
        return (int) readBigEndian(2, "an unsigned short");
    }

    @Override
    public char readChar() throws JMSException {
        return (char) readBigEndian(2, "a char");
    }

    @Override
    public int readInt() throws JMSException {
        return (int) readBigEndian(4, "an int");
    }

    @Override
    public long readLong() throws JMSException {
        return readBigEndian(8, "a long");
    }

    @Override
    public float readFloat() throws JMSException {
        return Float.intBitsToFloat((int) readBigEndian(4, "a float"));
    }

    @Override
    public double readDouble() throws JMSException {
        return Double.longBitsToDouble(readBigEndian(8, "a double"));
    }

    @Override
    public String readUTF() throws JMSException {
        checkReadable();
        ByteArrayInputStream in = new ByteArrayInputStream(data, position, end - position);
        try {
            String s = new DataInputStream(in).readUTF();
            position = end - in.available();
            return s;
        } catch (EOFException e) {
            throw JmsErrors.withCause(new MessageEOFException("readUTF ran past the end of the bytes message"), e);
        } catch (UTFDataFormatException e) {
            throw JmsErrors.withCause(new MessageFormatException("readUTF found malformed modified UTF-8: "
                    + e.getMessage()), e);
        } catch (IOException e) {
            throw JmsErrors.jms("readUTF failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int readBytes(byte[] value) throws JMSException {
        return readBytes(value, value.length);
    }

    /**
     * Reads up to {@code length} bytes into {@code value}.
     *
     * @return the number of bytes read, or -1 if the body has been read completely
     * @throws IndexOutOfBoundsException if {@code length} is negative or greater than {@code value.length}
     */
    @Override
    public int readBytes(byte[] value, int length) throws JMSException {
        checkReadable();
        if (length < 0 || length > value.length) {
            throw new IndexOutOfBoundsException("length " + length + " is outside 0.." + value.length);
        }
        int remaining = end - position;
        if (remaining == 0) {
            return -1;
        }
        int n = Math.min(length, remaining);
        System.arraycopy(data, position, value, 0, n);
        position += n;
        return n;
    }

    // ---- writing

    private ByteArrayOutputStream writer() throws MessageNotWriteableException {
        checkBodyWritable();
        if (inReadMode()) {
            throw new MessageNotWriteableException("bytes message is in read mode; call clearBody() before writing");
        }
        return out;
    }

    private void writeBigEndian(long v, int n) throws MessageNotWriteableException {
        ByteArrayOutputStream w = writer();
        for (int shift = (n - 1) * 8; shift >= 0; shift -= 8) {
            w.write((int) (v >>> shift));
        }
    }

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        writer().write(value ? 1 : 0);
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        writer().write(value);
    }

    @Override
    public void writeShort(short value) throws JMSException {
        writeBigEndian(value, 2);
    }

    @Override
    public void writeChar(char value) throws JMSException {
        writeBigEndian(value, 2);
    }

    @Override
    public void writeInt(int value) throws JMSException {
        writeBigEndian(value, 4);
    }

    @Override
    public void writeLong(long value) throws JMSException {
        writeBigEndian(value, 8);
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        writeBigEndian(Float.floatToIntBits(value), 4);
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        writeBigEndian(Double.doubleToLongBits(value), 8);
    }

    /**
     * Writes a string in modified UTF-8 with a two-byte length.
     *
     * @throws MessageFormatException if the encoded string is longer than 65535 bytes
     */
    @Override
    public void writeUTF(String value) throws JMSException {
        ByteArrayOutputStream w = writer();
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        try {
            new DataOutputStream(encoded).writeUTF(value);
            encoded.writeTo(w);
        } catch (UTFDataFormatException e) {
            throw JmsErrors.withCause(new MessageFormatException("writeUTF: " + e.getMessage()
                    + " (modified UTF-8 strings are limited to 65535 bytes)"), e);
        } catch (IOException e) {
            throw JmsErrors.jms("writeUTF failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void writeBytes(byte[] value) throws JMSException {
        writer().write(value, 0, value.length);
    }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        writer().write(value, offset, length);
    }

    /**
     * Writes a Boolean, Byte, Short, Character, Integer, Long, Float, Double, String (as {@code writeUTF}) or byte[].
     *
     * @throws NullPointerException   if {@code value} is null
     * @throws MessageFormatException for any other type
     */
    @Override
    public void writeObject(Object value) throws JMSException {
        if (value == null) {
            throw new NullPointerException("BytesMessage.writeObject does not accept null");
        }
        if (value instanceof Boolean v) {
            writeBoolean(v);
        } else if (value instanceof Byte v) {
            writeByte(v);
        } else if (value instanceof Short v) {
            writeShort(v);
        } else if (value instanceof Character v) {
            writeChar(v);
        } else if (value instanceof Integer v) {
            writeInt(v);
        } else if (value instanceof Long v) {
            writeLong(v);
        } else if (value instanceof Float v) {
            writeFloat(v);
        } else if (value instanceof Double v) {
            writeDouble(v);
        } else if (value instanceof String v) {
            writeUTF(v);
        } else if (value instanceof byte[] v) {
            writeBytes(v);
        } else {
            throw new MessageFormatException("BytesMessage.writeObject cannot write a " + value.getClass().getName()
                    + " (allowed: Boolean, Byte, Short, Character, Integer, Long, Float, Double, String, byte[])");
        }
    }
}
