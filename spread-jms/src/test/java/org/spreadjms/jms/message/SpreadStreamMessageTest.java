package org.spreadjms.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.util.concurrent.TimeUnit;

import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpreadStreamMessageTest {

    @Test
    void everyTypeRoundTripsThenEof() throws JMSException {
        SpreadStreamMessage m = new SpreadStreamMessage();
        m.writeBoolean(true);
        m.writeByte((byte) 1);
        m.writeShort((short) 2);
        m.writeChar('c');
        m.writeInt(3);
        m.writeLong(4);
        m.writeFloat(5f);
        m.writeDouble(6d);
        m.writeString("s");
        m.writeBytes(new byte[] {7, 8});
        m.writeBytes(new byte[] {0, 9, 0}, 1, 1);
        m.writeObject(10);
        m.reset();
        assertEquals(true, m.readBoolean());
        assertEquals(1, m.readByte());
        assertEquals(2, m.readShort());
        assertEquals('c', m.readChar());
        assertEquals(3, m.readInt());
        assertEquals(4, m.readLong());
        assertEquals(5f, m.readFloat());
        assertEquals(6d, m.readDouble());
        assertEquals("s", m.readString());
        assertArrayEquals(new byte[] {7, 8}, (byte[]) m.readObject());
        assertArrayEquals(new byte[] {9}, (byte[]) m.readObject());
        assertEquals(10, m.readObject());
        assertThrowsExactly(MessageEOFException.class, m::readObject);
        assertThrowsExactly(MessageEOFException.class, m::readInt);
        assertThrowsExactly(MessageEOFException.class, () -> m.readBytes(new byte[1]));
    }

    @Test
    void readBytesReadsAByteArrayInChunksThenMinusOne() throws JMSException {
        SpreadStreamMessage m = new SpreadStreamMessage();
        m.writeBytes(new byte[] {1, 2, 3, 4, 5});
        m.writeInt(9);
        m.reset();
        byte[] buf = new byte[2];
        assertEquals(2, m.readBytes(buf));
        assertArrayEquals(new byte[] {1, 2}, buf);
        assertThrowsExactly(MessageFormatException.class, m::readInt, "field not finished");
        assertThrowsExactly(MessageFormatException.class, m::readObject, "field not finished");
        assertThrowsExactly(MessageFormatException.class, m::readString, "field not finished");
        assertEquals(2, m.readBytes(buf));
        assertArrayEquals(new byte[] {3, 4}, buf);
        assertEquals(1, m.readBytes(buf));
        assertEquals(5, buf[0]);
        assertEquals(-1, m.readBytes(buf));
        assertEquals(9, m.readInt());
    }

    @Test
    void readBytesWithExactlySizedBufferReturnsLengthThenMinusOne() throws JMSException {
        SpreadStreamMessage m = new SpreadStreamMessage();
        m.writeBytes(new byte[] {1, 2});
        m.writeBytes(new byte[0]);
        m.reset();
        assertEquals(2, m.readBytes(new byte[2]));
        assertEquals(-1, m.readBytes(new byte[2]));
        assertEquals(-1, m.readBytes(new byte[2]), "empty array: -1 at once");
        assertThrowsExactly(MessageEOFException.class, () -> m.readBytes(new byte[2]));
    }

    @Test
    void readBytesOfANonByteArrayIsAFormatErrorAndKeepsPosition() throws JMSException {
        SpreadStreamMessage m = new SpreadStreamMessage();
        m.writeString("x");
        m.reset();
        assertThrowsExactly(MessageFormatException.class, () -> m.readBytes(new byte[1]));
        assertEquals("x", m.readString());
    }

    @Test
    void writeModeRefusesReadsAndReadModeRefusesWrites() throws JMSException {
        SpreadStreamMessage m = new SpreadStreamMessage();
        m.writeInt(1);
        assertThrowsExactly(MessageNotReadableException.class, m::readInt);
        m.reset();
        assertThrowsExactly(MessageNotWriteableException.class, () -> m.writeInt(2));
        m.clearBody();
        m.writeInt(2);
        m.reset();
        assertEquals(2, m.readInt());
    }

    @Test
    void receivedBodyIsInReadModeAndReadOnly() throws JMSException {
        SpreadStreamMessage m = new SpreadStreamMessage();
        m.writeString("a");
        m.setReadOnly(true, true);
        assertThrowsExactly(MessageNotWriteableException.class, () -> m.writeString("b"));
        assertEquals("a", m.readString());
        m.clearBody();
        m.writeString("b");
    }

    @Test
    void writeObjectRefusesOtherTypesButAcceptsNull() throws JMSException {
        SpreadStreamMessage m = new SpreadStreamMessage();
        assertThrowsExactly(MessageFormatException.class, () -> m.writeObject(new Object()));
        m.writeObject(null);
        m.reset();
        assertNull(m.readObject());
    }

    @Test
    void byteArraysAreCopiedInAndOut() throws JMSException {
        SpreadStreamMessage m = new SpreadStreamMessage();
        byte[] b = {1};
        m.writeBytes(b);
        b[0] = 2;
        m.reset();
        byte[] out = (byte[]) m.readObject();
        assertArrayEquals(new byte[] {1}, out);
    }
}
