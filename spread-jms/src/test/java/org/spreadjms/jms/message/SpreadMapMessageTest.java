package org.spreadjms.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpreadMapMessageTest {

    @Test
    void everySetterStoresItsTypeAndNamesAreListedInOrder() throws JMSException {
        SpreadMapMessage m = new SpreadMapMessage();
        m.setBoolean("z", true);
        m.setByte("b", (byte) 1);
        m.setShort("s", (short) 2);
        m.setChar("c", 'c');
        m.setInt("i", 3);
        m.setLong("l", 4);
        m.setFloat("f", 5f);
        m.setDouble("d", 6d);
        m.setString("t", "t");
        m.setBytes("y", new byte[] {7});
        m.setBytes("r", new byte[] {0, 8, 9, 0}, 1, 2);
        assertEquals(List.of("z", "b", "s", "c", "i", "l", "f", "d", "t", "y", "r"),
                Collections.list(m.getMapNames()));
        assertEquals(Boolean.TRUE, m.getObject("z"));
        assertEquals((byte) 1, m.getObject("b"));
        assertEquals((short) 2, m.getObject("s"));
        assertEquals('c', m.getObject("c"));
        assertEquals(3, m.getObject("i"));
        assertEquals(4L, m.getObject("l"));
        assertEquals(5f, m.getObject("f"));
        assertEquals(6d, m.getObject("d"));
        assertEquals("t", m.getObject("t"));
        assertArrayEquals(new byte[] {7}, (byte[]) m.getObject("y"));
        assertArrayEquals(new byte[] {8, 9}, m.getBytes("r"));
        assertTrue(m.itemExists("r"));
        assertFalse(m.itemExists("nope"));
    }

    @Test
    void byteArraysAreCopiedInAndOut() throws JMSException {
        SpreadMapMessage m = new SpreadMapMessage();
        byte[] b = {1};
        m.setBytes("b", b);
        b[0] = 2;
        m.getBytes("b")[0] = 3;
        ((byte[]) m.getObject("b"))[0] = 4;
        assertArrayEquals(new byte[] {1}, m.getBytes("b"));
        m.setObject("o", b);
        b[0] = 5;
        assertArrayEquals(new byte[] {2}, m.getBytes("o"));
    }

    @Test
    void nullOrEmptyNamesAreRefused() {
        SpreadMapMessage m = new SpreadMapMessage();
        assertThrowsExactly(IllegalArgumentException.class, () -> m.setInt(null, 1));
        assertThrowsExactly(IllegalArgumentException.class, () -> m.setString("", "x"));
        assertThrowsExactly(IllegalArgumentException.class, () -> m.setObject("", 1));
        assertThrowsExactly(IllegalArgumentException.class, () -> m.setBytes(null, new byte[1], 0, 1));
    }

    @Test
    void setObjectRefusesOtherTypes() {
        SpreadMapMessage m = new SpreadMapMessage();
        assertThrowsExactly(MessageFormatException.class, () -> m.setObject("x", new Object()));
        assertThrowsExactly(MessageFormatException.class, () -> m.setObject("x", List.of(1)));
    }

    @Test
    void receivedBodyIsReadOnlyUntilClearBody() throws JMSException {
        SpreadMapMessage m = new SpreadMapMessage();
        m.setInt("i", 1);
        m.setReadOnly(true, true);
        assertThrowsExactly(MessageNotWriteableException.class, () -> m.setInt("j", 2));
        assertThrowsExactly(MessageNotWriteableException.class, () -> m.setObject("j", 2));
        assertThrowsExactly(MessageNotWriteableException.class, () -> m.setBytes("j", new byte[1], 0, 1));
        assertEquals(1, m.getInt("i"));
        m.clearBody();
        assertFalse(m.itemExists("i"));
        m.setInt("j", 2);
        assertEquals(2, m.getInt("j"));
    }
}
