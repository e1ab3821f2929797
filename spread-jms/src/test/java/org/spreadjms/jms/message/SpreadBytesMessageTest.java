package org.spreadjms.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpreadBytesMessageTest {

    private static SpreadBytesMessage writeEveryType() throws JMSException {
        SpreadBytesMessage m = new SpreadBytesMessage();
        m.writeBoolean(true);
        m.writeByte((byte) -2);
        m.writeShort((short) -300);
        m.writeChar('\u20ac');
        m.writeInt(-70_000);
        m.writeLong(Long.MIN_VALUE + 5);
        m.writeFloat(-1.25f);
        m.writeDouble(Math.PI);
        m.writeUTF("h\u00e9llo \u20ac");
        m.writeBytes(new byte[] {1, 2, 3});
        m.writeBytes(new byte[] {9, 4, 5, 9}, 1, 2);
        m.writeObject(Boolean.FALSE);
        m.writeObject((byte) 6);
        m.writeObject((short) 7);
        m.writeObject('x');
        m.writeObject(8);
        m.writeObject(9L);
        m.writeObject(1.5f);
        m.writeObject(2.5d);
        m.writeObject("s");
        m.writeObject(new byte[] {10});
        return m;
    }

    @Test
    void everyTypeRoundTripsAndTheBytesMatchDataOutput() throws Exception {
        SpreadBytesMessage m = writeEveryType();
        m.reset();
        assertEquals(true, m.readBoolean());
        assertEquals(-2, m.readByte());
        assertEquals(-300, m.readShort());
        assertEquals('\u20ac', m.readChar());
        assertEquals(-70_000, m.readInt());
        assertEquals(Long.MIN_VALUE + 5, m.readLong());
        assertEquals(-1.25f, m.readFloat());
        assertEquals(Math.PI, m.readDouble());
        assertEquals("h\u00e9llo \u20ac", m.readUTF());
        byte[] five = new byte[5];
        assertEquals(5, m.readBytes(five));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, five);
        assertEquals(false, m.readBoolean());
        assertEquals(6, m.readUnsignedByte());
        assertEquals(7, m.readUnsignedShort());
        assertEquals('x', m.readChar());
        assertEquals(8, m.readInt());
        assertEquals(9L, m.readLong());
        assertEquals(1.5f, m.readFloat());
        assertEquals(2.5d, m.readDouble());
        assertEquals("s", m.readUTF());
        assertEquals(10, m.readByte());
        assertThrowsExactly(MessageEOFException.class, m::readByte);
        assertEquals(-1, m.readBytes(new byte[1]));

        assertArrayEquals(dataOutputBytes(), m.getBody(byte[].class));
        assertEquals(dataOutputBytes().length, m.getBodyLength());
    }

    private static byte[] dataOutputBytes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(bytes);
        d.writeBoolean(true);
        d.writeByte(-2);
        d.writeShort(-300);
        d.writeChar('\u20ac');
        d.writeInt(-70_000);
        d.writeLong(Long.MIN_VALUE + 5);
        d.writeFloat(-1.25f);
        d.writeDouble(Math.PI);
        d.writeUTF("h\u00e9llo \u20ac");
        d.write(new byte[] {1, 2, 3, 4, 5});
        d.writeBoolean(false);
        d.writeByte(6);
        d.writeShort(7);
        d.writeChar('x');
        d.writeInt(8);
        d.writeLong(9);
        d.writeFloat(1.5f);
        d.writeDouble(2.5d);
        d.writeUTF("s");
        d.write(10);
        return bytes.toByteArray();
    }

    @Test
    void readingPastTheEndThrowsEofAndConsumesNothing() throws JMSException {
        SpreadBytesMessage m = new SpreadBytesMessage();
        m.writeShort((short) 0x0102);
        m.reset();
        assertThrowsExactly(MessageEOFException.class, m::readInt);
        assertThrowsExactly(MessageEOFException.class, m::readLong);
        assertThrowsExactly(MessageEOFException.class, m::readDouble);
        assertThrowsExactly(MessageEOFException.class, m::readUTF);
        assertEquals(0x0102, m.readShort());
        assertThrowsExactly(MessageEOFException.class, m::readBoolean);
        assertThrowsExactly(MessageEOFException.class, m::readChar);
    }

    @Test
    void readBytesReturnsPartialCountThenMinusOne() throws JMSException {
        SpreadBytesMessage m = new SpreadBytesMessage();
        m.writeBytes(new byte[] {1, 2, 3, 4, 5});
        m.reset();
        byte[] buf = new byte[3];
        assertEquals(3, m.readBytes(buf));
        assertEquals(2, m.readBytes(buf));
        assertEquals(-1, m.readBytes(buf));
        m.reset();
        assertEquals(2, m.readBytes(buf, 2));
        assertThrowsExactly(IndexOutOfBoundsException.class, () -> m.readBytes(buf, 4));
    }

    @Test
    void writeModeRefusesReadsAndBodyLength() throws JMSException {
        SpreadBytesMessage m = new SpreadBytesMessage();
        m.writeInt(1);
        assertThrowsExactly(MessageNotReadableException.class, m::readInt);
        assertThrowsExactly(MessageNotReadableException.class, m::getBodyLength);
        assertThrowsExactly(MessageNotReadableException.class, () -> m.readBytes(new byte[1]));
        assertThrowsExactly(MessageNotReadableException.class, m::readUTF);
    }

    @Test
    void readModeRefusesWritesUntilClearBody() throws JMSException {
        SpreadBytesMessage m = new SpreadBytesMessage();
        m.writeInt(1);
        m.reset();
        assertThrowsExactly(MessageNotWriteableException.class, () -> m.writeInt(2));
        assertThrowsExactly(MessageNotWriteableException.class, () -> m.writeObject("x"));
        m.clearBody();
        assertThrowsExactly(MessageNotReadableException.class, m::getBodyLength);
        m.writeInt(2);
        m.reset();
        assertEquals(4, m.getBodyLength());
        assertEquals(2, m.readInt());
    }

    @Test
    void receivedBodyIsInReadModeAndReadOnly() throws JMSException {
        SpreadBytesMessage m = new SpreadBytesMessage();
        m.writeInt(42);
        m.setReadOnly(true, true);
        assertEquals(4, m.getBodyLength());
        assertEquals(42, m.readInt());
        assertThrowsExactly(MessageNotWriteableException.class, () -> m.writeByte((byte) 1));
        m.clearBody();
        m.writeByte((byte) 1);
    }

    @Test
    void resetInReadModeGoesBackToTheStart() throws JMSException {
        SpreadBytesMessage m = new SpreadBytesMessage();
        m.writeLong(5);
        m.reset();
        assertEquals(5, m.readLong());
        m.reset();
        assertEquals(5, m.readLong());
    }

    @Test
    void writeObjectRefusesOtherTypesAndNull() {
        SpreadBytesMessage m = new SpreadBytesMessage();
        assertThrowsExactly(MessageFormatException.class, () -> m.writeObject(new Object()));
        assertThrowsExactly(MessageFormatException.class, () -> m.writeObject(java.math.BigDecimal.ONE));
        assertThrowsExactly(NullPointerException.class, () -> m.writeObject(null));
    }

    @Test
    void writeUtfLongerThan65535BytesIsAFormatError() {
        SpreadBytesMessage m = new SpreadBytesMessage();
        assertThrowsExactly(MessageFormatException.class, () -> m.writeUTF("x".repeat(70_000)));
    }

    @Test
    void malformedUtfIsAFormatError() throws JMSException {
        SpreadBytesMessage m = new SpreadBytesMessage();
        m.writeBytes(new byte[] {0, 2, (byte) 0xC0, 0x01});
        m.reset();
        assertThrowsExactly(MessageFormatException.class, m::readUTF);
    }

    @Test
    void getBodyIsACopyOfTheWholeBodyInEitherMode() throws JMSException {
        SpreadBytesMessage m = new SpreadBytesMessage();
        assertNull(m.getBody(byte[].class), "empty body reads as no body");
        m.writeBytes(new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2}, m.getBody(byte[].class));
        m.reset();
        m.readByte();
        byte[] body = m.getBody(byte[].class);
        assertArrayEquals(new byte[] {1, 2}, body);
        body[0] = 9;
        assertEquals(2, m.readByte(), "getBody moves nothing");
        assertTrue(m.isBodyAssignableTo(byte[].class));
        assertTrue(m.isBodyAssignableTo(Object.class));
        assertThrowsExactly(MessageFormatException.class, () -> m.getBody(String.class));
    }

    @Test
    void copyKeepsModeAndPosition() throws JMSException {
        SpreadBytesMessage m = new SpreadBytesMessage();
        m.writeShort((short) 1);
        m.writeShort((short) 2);
        SpreadBytesMessage writing = (SpreadBytesMessage) m.copy();
        writing.writeShort((short) 3);
        writing.reset();
        assertEquals(6, writing.getBodyLength());
        m.reset();
        m.readShort();
        SpreadBytesMessage reading = (SpreadBytesMessage) m.copy();
        assertEquals(2, reading.readShort());
    }
}
