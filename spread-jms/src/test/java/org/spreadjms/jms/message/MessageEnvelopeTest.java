package org.spreadjms.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.spreadjms.jms.destination.SpreadQueue;
import org.spreadjms.jms.destination.SpreadTemporaryQueue;
import org.spreadjms.jms.destination.SpreadTopic;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MessageEnvelopeTest {

    /** One message of each body type, every header set, every property type. */
    static Stream<SpreadMessage> everyBodyType() throws JMSException {
        List<SpreadMessage> all = new ArrayList<>();
        all.add(withHeaders(new SpreadPlainMessage()));
        all.add(withHeaders(new SpreadTextMessage("h\u00e9llo \u20ac \ud83d\ude00")));
        SpreadBytesMessage bytes = new SpreadBytesMessage();
        bytes.writeInt(42);
        bytes.writeUTF("x");
        all.add(withHeaders(bytes));
        SpreadMapMessage map = new SpreadMapMessage();
        map.setBoolean("z", true);
        map.setByte("b", (byte) -1);
        map.setShort("s", (short) -2);
        map.setChar("c", '\u20ac');
        map.setInt("i", -3);
        map.setLong("l", Long.MAX_VALUE);
        map.setFloat("f", Float.NaN);
        map.setDouble("d", -0.0);
        map.setString("t", "text");
        map.setBytes("y", new byte[] {1, 2});
        map.setObject("n", null);
        all.add(withHeaders(map));
        SpreadObjectMessage object = new SpreadObjectMessage();
        object.setObject(new java.util.HashMap<>(Map.of("k", 1)));
        all.add(withHeaders(object));
        SpreadStreamMessage stream = new SpreadStreamMessage();
        stream.writeBoolean(false);
        stream.writeByte((byte) 1);
        stream.writeShort((short) 2);
        stream.writeChar('c');
        stream.writeInt(3);
        stream.writeLong(4);
        stream.writeFloat(5.5f);
        stream.writeDouble(6.5);
        stream.writeString("s");
        stream.writeBytes(new byte[] {7});
        stream.writeObject(null);
        all.add(withHeaders(stream));
        return all.stream();
    }

    private static SpreadMessage withHeaders(SpreadMessage m) throws JMSException {
        m.setJMSMessageID("ID:abc-1");
        m.setJMSTimestamp(1_700_000_000_123L);
        m.setJMSCorrelationID("corr");
        m.setJMSReplyTo(new SpreadTemporaryQueue("#alice#localhost", "3", null));
        m.setJMSDestination(new SpreadTopic("orders"));
        m.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        m.setJMSType("kind");
        m.setJMSExpiration(1_700_000_060_000L);
        m.setJMSDeliveryTime(1_700_000_000_500L);
        m.setJMSPriority(7);
        m.setBooleanProperty("pBool", true);
        m.setByteProperty("pByte", (byte) -8);
        m.setShortProperty("pShort", (short) 1000);
        m.setIntProperty("pInt", Integer.MIN_VALUE);
        m.setLongProperty("pLong", -5L);
        m.setFloatProperty("pFloat", 0.1f);
        m.setDoubleProperty("pDouble", 1e300);
        m.setStringProperty("pString", "\u00fcber");
        m.setStringProperty("pNull", null);
        m.setStringProperty("JMSXGroupID", "g1");
        m.setIntProperty("JMSXGroupSeq", 2);
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyBodyType")
    void roundTripKeepsHeadersPropertiesAndBody(SpreadMessage m) throws JMSException {
        byte[] encoded = MessageEnvelope.encode(m, "target-1");
        MessageEnvelope.Envelope env = MessageEnvelope.decode(encoded, null);
        SpreadMessage d = env.message();
        assertEquals("target-1", env.target());
        assertTrue(env.extensions().isEmpty());
        assertEquals(m.getClass(), d.getClass());
        assertEquals("ID:abc-1", d.getJMSMessageID());
        assertEquals(1_700_000_000_123L, d.getJMSTimestamp());
        assertEquals("corr", d.getJMSCorrelationID());
        assertEquals(m.getJMSReplyTo(), d.getJMSReplyTo());
        assertInstanceOf(SpreadTemporaryQueue.class, d.getJMSReplyTo());
        assertEquals("3", ((SpreadTemporaryQueue) d.getJMSReplyTo()).subAddress());
        assertEquals(new SpreadTopic("orders"), d.getJMSDestination());
        assertEquals(DeliveryMode.NON_PERSISTENT, d.getJMSDeliveryMode());
        assertEquals("kind", d.getJMSType());
        assertEquals(1_700_000_060_000L, d.getJMSExpiration());
        assertEquals(1_700_000_000_500L, d.getJMSDeliveryTime());
        assertEquals(7, d.getJMSPriority());
        assertEquals(m.propertyMap(), d.propertyMap());
        assertEquals(List.copyOf(m.propertyMap().keySet()), List.copyOf(d.propertyMap().keySet()), "order");
        assertBodiesEqual(m, d);
        assertTrue(d.arePropertiesReadOnly());
        assertThrowsExactly(MessageNotWriteableException.class, () -> d.setIntProperty("x", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyBodyType")
    void encodingIsDeterministicAndStableThroughDecoding(SpreadMessage m) throws JMSException {
        Map<String, byte[]> ext = new LinkedHashMap<>();
        ext.put("seq", new byte[] {0, 0, 0, 9});
        ext.put("frag", new byte[0]);
        byte[] first = MessageEnvelope.encode(m, null, ext);
        assertArrayEquals(first, MessageEnvelope.encode(m, null, ext));
        MessageEnvelope.Envelope env = MessageEnvelope.decode(first, null);
        assertArrayEquals(first, MessageEnvelope.encode(env.message(), env.target(), env.extensions()));
        assertArrayEquals(first, MessageEnvelope.encode(env.message().copy(), env.target(), env.extensions()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyBodyType")
    void truncationAtEveryOffsetIsAFormatError(SpreadMessage m) {
        byte[] encoded = MessageEnvelope.encode(m, "t", Map.of("x", new byte[] {1}));
        for (int len = 0; len < encoded.length; len++) {
            byte[] cut = Arrays.copyOf(encoded, len);
            int at = len;
            assertThrowsExactly(MessageFormatException.class, () -> MessageEnvelope.decode(cut, null),
                    "truncated to " + at + " of " + encoded.length);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyBodyType")
    void corruptingAnyByteGivesAMessageOrAFormatErrorNeverAnotherException(SpreadMessage m) {
        byte[] encoded = MessageEnvelope.encode(m, "t");
        for (int i = 0; i < encoded.length; i++) {
            for (int v : new int[] {0x00, 0x7F, 0x80, 0xFF}) {
                byte[] bad = encoded.clone();
                bad[i] = (byte) v;
                try {
                    MessageEnvelope.decode(bad, null);
                } catch (MessageFormatException expected) {
                    // fine
                } catch (Throwable t) {
                    fail("byte " + i + " set to " + v + " gave " + t, t);
                }
            }
        }
    }

    @Test
    void trailingBytesAreAFormatError() {
        byte[] encoded = MessageEnvelope.encode(new SpreadPlainMessage(), null);
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
        assertThrowsExactly(MessageFormatException.class, () -> MessageEnvelope.decode(longer, null));
    }

    @Test
    void plainMessageWithDefaultsHasTheDocumentedBytes() {
        byte[] encoded = MessageEnvelope.encode(new SpreadPlainMessage(), null);
        String expected = "53" + "01" + "00" + "00"     // magic, version, body type Message, flags
                + "ffffffff"                              // JMSMessageID null
                + "0000000000000000"                      // JMSTimestamp
                + "ffffffff" + "ffffffff" + "ffffffff"    // correlation id, reply-to, destination: null
                + "02"                                    // delivery mode persistent
                + "ffffffff"                              // JMSType null
                + "0000000000000000" + "0000000000000000" // expiration, delivery time
                + "04"                                    // priority
                + "00000000"                              // delivery count
                + "ffffffff"                              // target null
                + "00000000" + "00000000";                // no properties, no extensions
        assertEquals(expected, HexFormat.of().formatHex(encoded));
    }

    @Test
    void textMessageWithOnePropertyHasTheDocumentedBytes() throws JMSException {
        SpreadTextMessage m = new SpreadTextMessage("hi");
        m.setJMSMessageID("A");
        m.setJMSCorrelationIDAsBytes(new byte[] {(byte) 0xCA});
        m.setJMSRedelivered(true);
        m.setJMSDestination(new SpreadQueue("q"));
        m.setIntProperty("n", 258);
        byte[] encoded = MessageEnvelope.encode(m, "7");
        String expected = "53" + "01" + "02" + "03"       // Text, flags redelivered + correlation bytes
                + "00000001" + "41"                       // "A"
                + "0000000000000000"
                + "00000001" + "ca"                       // correlation id bytes
                + "ffffffff"                              // reply-to null
                + "00000003" + "713a71"                   // "q:q"
                + "02" + "ffffffff" + "0000000000000000" + "0000000000000000" + "04" + "00000000"
                + "00000001" + "37"                       // target "7"
                + "00000001" + "00000001" + "6e" + "05" + "00000102" // property n = int 258
                + "00000000"                              // no extensions
                + "00000002" + "6869";                    // body "hi"
        assertEquals(expected, HexFormat.of().formatHex(encoded));
        MessageEnvelope.Envelope env = assertDecodes(encoded);
        assertTrue(env.message().getJMSRedelivered());
        assertArrayEquals(new byte[] {(byte) 0xCA}, env.message().getJMSCorrelationIDAsBytes());
    }

    private static MessageEnvelope.Envelope assertDecodes(byte[] encoded) throws JMSException {
        return MessageEnvelope.decode(encoded, null);
    }

    @Test
    void lengthClaimingTwoGigabytesFailsQuicklyWithoutAllocating() {
        byte[] encoded = MessageEnvelope.encode(new SpreadPlainMessage(), null);
        byte[] bad = encoded.clone();
        bad[4] = 0x7F; // JMSMessageID length = 0x7FFFFFFF
        bad[5] = (byte) 0xFF;
        bad[6] = (byte) 0xFF;
        bad[7] = (byte) 0xFF;
        assertTimeoutPreemptively(Duration.ofSeconds(1), () ->
                assertThrowsExactly(MessageFormatException.class, () -> MessageEnvelope.decode(bad, null)));
    }

    @Test
    void countClaimingTwoBillionEntriesFailsQuickly() throws JMSException {
        SpreadStreamMessage m = new SpreadStreamMessage();
        byte[] encoded = MessageEnvelope.encode(m, null);
        // the stream count is the last 4 bytes
        byte[] bad = encoded.clone();
        bad[bad.length - 4] = 0x7F;
        assertTimeoutPreemptively(Duration.ofSeconds(1), () ->
                assertThrowsExactly(MessageFormatException.class, () -> MessageEnvelope.decode(bad, null)));
    }

    @Test
    void unknownVersionMagicBodyTypeAndFlagsAreFormatErrors() {
        byte[] encoded = MessageEnvelope.encode(new SpreadPlainMessage(), null);
        for (int[] change : new int[][] {{0, 'X'}, {1, 2}, {1, 0}, {2, 6}, {3, 4}, {3, 0x80}}) {
            byte[] bad = encoded.clone();
            bad[change[0]] = (byte) change[1];
            MessageFormatException e = assertThrowsExactly(MessageFormatException.class,
                    () -> MessageEnvelope.decode(bad, null));
            assertFalse(e.getMessage().isEmpty());
        }
    }

    @Test
    void unknownVersionErrorSaysWhichVersion() {
        byte[] bad = MessageEnvelope.encode(new SpreadPlainMessage(), null);
        bad[1] = 9;
        MessageFormatException e = assertThrowsExactly(MessageFormatException.class,
                () -> MessageEnvelope.decode(bad, null));
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
    }

    @Test
    void unknownExtensionsAreCarriedAndOtherwiseIgnored() throws JMSException {
        SpreadTextMessage m = new SpreadTextMessage("body");
        byte[] encoded = MessageEnvelope.encode(m, "x", Map.of("future.feature", new byte[] {1, 2, 3}));
        MessageEnvelope.Envelope env = MessageEnvelope.decode(encoded, null);
        assertEquals("body", ((SpreadTextMessage) env.message()).getText());
        assertArrayEquals(new byte[] {1, 2, 3}, env.extensions().get("future.feature"));
    }

    @Test
    void invalidDestinationInsideTheEnvelopeIsAFormatError() {
        byte[] encoded = MessageEnvelope.encode(new SpreadPlainMessage(), null);
        // replace the null reply-to (offset 4+4+8+4 = 20) with "x:y"
        byte[] head = Arrays.copyOf(encoded, 20);
        byte[] tail = Arrays.copyOfRange(encoded, 24, encoded.length);
        byte[] bad = concat(head, new byte[] {0, 0, 0, 3}, "x:y".getBytes(StandardCharsets.US_ASCII), tail);
        MessageFormatException e = assertThrowsExactly(MessageFormatException.class,
                () -> MessageEnvelope.decode(bad, null));
        assertTrue(e.getMessage().contains("x:y"), e.getMessage());
    }

    @Test
    void malformedUtf8IsAFormatError() {
        byte[] encoded = MessageEnvelope.encode(new SpreadPlainMessage(), null);
        byte[] head = Arrays.copyOf(encoded, 4);
        byte[] tail = Arrays.copyOfRange(encoded, 8, encoded.length);
        byte[] bad = concat(head, new byte[] {0, 0, 0, 1, (byte) 0xC3}, tail);
        assertThrowsExactly(MessageFormatException.class, () -> MessageEnvelope.decode(bad, null));
    }

    @Test
    void decodedBytesAndStreamBodiesAreInReadModeAndReadOnly() throws JMSException {
        SpreadBytesMessage b = new SpreadBytesMessage();
        b.writeLong(99);
        SpreadBytesMessage db = (SpreadBytesMessage) MessageEnvelope.decode(MessageEnvelope.encode(b, null), null)
                .message();
        assertEquals(8, db.getBodyLength());
        assertEquals(99, db.readLong());
        assertThrowsExactly(MessageNotWriteableException.class, () -> db.writeInt(1));
        SpreadStreamMessage s = new SpreadStreamMessage();
        s.writeInt(5);
        SpreadStreamMessage ds = (SpreadStreamMessage) MessageEnvelope.decode(MessageEnvelope.encode(s, null), null)
                .message();
        assertEquals(5, ds.readInt());
        assertThrowsExactly(MessageNotWriteableException.class, () -> ds.writeInt(1));
    }

    @ParameterizedTest
    @MethodSource("mixedStrings")
    void stringsAreWrittenAsTheirUtf8WhereverANonAsciiCharacterFalls(String s) {
        EnvelopeWriter w = new EnvelopeWriter(4); // too small on purpose: the ASCII path must grow the buffer
        w.string(s);
        w.u8(0x7F); // a following field lands right after the string
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        byte[] expected = new byte[4 + utf8.length + 1];
        expected[0] = (byte) (utf8.length >>> 24);
        expected[1] = (byte) (utf8.length >>> 16);
        expected[2] = (byte) (utf8.length >>> 8);
        expected[3] = (byte) utf8.length;
        System.arraycopy(utf8, 0, expected, 4, utf8.length);
        expected[expected.length - 1] = 0x7F;
        assertArrayEquals(expected, w.toByteArray());
    }

    static Stream<String> mixedStrings() {
        return Stream.of("", "plain ascii id:42", "\u00e9t\u00e9", "abc\u00e9", "ab\u20acdef", "\ud83d\ude00 first",
                "last \ud83d\ude00", "\u007f\u0080", "x".repeat(300) + "\u00ff");
    }

    @ParameterizedTest
    @MethodSource("everyBodyType")
    void sentFormIsTheEncodingWithoutRedeliveryStateInAnUntrimmedBuffer(SpreadMessage m) throws JMSException {
        m.setJMSRedelivered(true); // as a received message being sent on
        m.setDeliveryCount(3);
        SpreadMessage fresh = m.copy();
        fresh.setJMSRedelivered(false);
        fresh.setDeliveryCount(0);
        byte[] exact = MessageEnvelope.encode(fresh, "7");
        MessageEnvelope.Encoded buffered = MessageEnvelope.encodeForSend(m, "7");
        assertEquals(exact.length, buffered.length());
        assertTrue(buffered.array().length >= buffered.length());
        assertArrayEquals(exact, Arrays.copyOf(buffered.array(), buffered.length()));
        assertArrayEquals(exact, buffered.toByteArray());
        SpreadMessage received = MessageEnvelope.decode(buffered.toByteArray(), null).message();
        assertFalse(received.getJMSRedelivered());
        assertEquals(0, received.getDeliveryCount());
        assertTrue(m.getJMSRedelivered(), "the application's message was changed");
    }

    @Test
    void decodedBytesBodyIsASliceOfTheEnvelopeThatBehavesLikeAWholeBody() throws JMSException {
        SpreadBytesMessage b = new SpreadBytesMessage();
        b.writeInt(7);
        b.writeUTF("tail");
        b.setStringProperty("p", "v"); // properties before the body: the body starts well inside the array
        byte[] envelope = MessageEnvelope.encode(b, null);
        SpreadBytesMessage d = (SpreadBytesMessage) MessageEnvelope.decode(envelope, null).message();
        assertEquals(10, d.getBodyLength());
        assertEquals(7, d.readInt());
        assertEquals("tail", d.readUTF());
        assertEquals(-1, d.readBytes(new byte[4]));
        d.reset();
        byte[] all = new byte[16];
        assertEquals(10, d.readBytes(all));
        byte[] body = d.getBody(byte[].class);
        assertEquals(10, body.length);
        assertArrayEquals(Arrays.copyOf(all, 10), body);
        body[0] = 99; // getBody gives a copy
        d.reset();
        assertEquals(7, d.readInt());
        // a copy (what a second topic consumer gets) keeps its position and owns its bytes
        SpreadBytesMessage c = (SpreadBytesMessage) d.copy();
        assertEquals("tail", c.readUTF());
        // re-encoding the slice (a received message forwarded) gives the same envelope
        assertArrayEquals(envelope, MessageEnvelope.encode(d, null));
        d.clearBody();
        d.writeByte((byte) 1);
        d.reset();
        assertEquals(1, d.getBodyLength());
        assertEquals(10, c.getBodyLength());
    }

    @Test
    void decodedObjectMessageUsesTheGivenFilter() throws JMSException {
        SpreadObjectMessage m = new SpreadObjectMessage();
        m.setObject(new ObjectMessageFilterTest.Refused("x"));
        byte[] encoded = MessageEnvelope.encode(m, null);
        SpreadObjectMessage d = (SpreadObjectMessage) MessageEnvelope.decode(encoded, null).message();
        assertThrowsExactly(MessageFormatException.class, d::getObject);
        ObjectMessageFilter allow = ObjectMessageFilter.of(ObjectMessageFilterTest.Refused.class.getName());
        SpreadObjectMessage allowed = (SpreadObjectMessage) MessageEnvelope.decode(encoded, allow).message();
        assertEquals(new ObjectMessageFilterTest.Refused("x"), allowed.getObject());
    }

    @Test
    void rawMessagesBecomeReadOnlyBytesOrText() throws JMSException {
        byte[] data = "plain \u20ac".getBytes(StandardCharsets.UTF_8);
        SpreadBytesMessage b = (SpreadBytesMessage) MessageEnvelope.fromRaw(data, false);
        assertEquals(data.length, b.getBodyLength());
        assertArrayEquals(data, b.getBody(byte[].class));
        assertThrowsExactly(MessageNotWriteableException.class, () -> b.writeInt(1));
        assertThrowsExactly(MessageNotWriteableException.class, () -> b.setIntProperty("p", 1));
        SpreadTextMessage t = (SpreadTextMessage) MessageEnvelope.fromRaw(data, true);
        assertEquals("plain \u20ac", t.getText());
        assertThrowsExactly(MessageNotWriteableException.class, () -> t.setText("x"));
    }

    @Test
    void rawBodyGivesBytesTextAndSerializedObjectsOnly() throws JMSException {
        SpreadBytesMessage b = new SpreadBytesMessage();
        b.writeBytes(new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2}, MessageEnvelope.rawBody(b));
        assertArrayEquals("\u20ac".getBytes(StandardCharsets.UTF_8),
                MessageEnvelope.rawBody(new SpreadTextMessage("\u20ac")));
        assertArrayEquals(new byte[0], MessageEnvelope.rawBody(new SpreadTextMessage()));
        SpreadObjectMessage o = new SpreadObjectMessage();
        o.setObject("s");
        assertEquals("s", ObjectMessageFilter.defaults().deserialize(MessageEnvelope.rawBody(o)));
        assertThrowsExactly(MessageFormatException.class, () -> MessageEnvelope.rawBody(new SpreadMapMessage()));
        assertThrowsExactly(MessageFormatException.class, () -> MessageEnvelope.rawBody(new SpreadStreamMessage()));
        assertThrowsExactly(MessageFormatException.class, () -> MessageEnvelope.rawBody(new SpreadPlainMessage()));
    }

    @Test
    void messTypeSpellsSJ() {
        assertEquals('S', MessageEnvelope.MESS_TYPE >> 8);
        assertEquals('J', MessageEnvelope.MESS_TYPE & 0xFF);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static void assertBodiesEqual(SpreadMessage a, SpreadMessage b) throws JMSException {
        switch (a.bodyType()) {
            case MESSAGE -> assertNull(b.getBody(Object.class));
            case TEXT -> assertEquals(((SpreadTextMessage) a).getText(), ((SpreadTextMessage) b).getText());
            case BYTES -> {
                SpreadBytesMessage bb = (SpreadBytesMessage) b;
                assertArrayEquals(((SpreadBytesMessage) a).bodyBytes(), bb.getBody(byte[].class));
                assertEquals(42, bb.readInt(), "decoded body is in read mode");
            }
            case MAP -> {
                SpreadMapMessage am = (SpreadMapMessage) a;
                SpreadMapMessage bm = (SpreadMapMessage) b;
                assertEquals(List.copyOf(am.entries().keySet()), List.copyOf(bm.entries().keySet()));
                for (String k : am.entries().keySet()) {
                    Object av = am.getObject(k);
                    Object bv = bm.getObject(k);
                    if (av instanceof byte[] ab) {
                        assertArrayEquals(ab, (byte[]) bv);
                    } else {
                        assertEquals(av, bv, k);
                    }
                }
                assertTrue(Float.isNaN(bm.getFloat("f")));
                assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(bm.getDouble("d")));
            }
            case OBJECT -> assertEquals(((SpreadObjectMessage) a).getObject(), ((SpreadObjectMessage) b).getObject());
            case STREAM -> {
                SpreadStreamMessage as = (SpreadStreamMessage) a;
                SpreadStreamMessage bs = (SpreadStreamMessage) b;
                assertEquals(as.values().size(), bs.values().size());
                for (int i = 0; i < as.values().size(); i++) {
                    Object av = as.values().get(i);
                    Object bv = bs.readObject();
                    if (av instanceof byte[] ab) {
                        assertArrayEquals(ab, (byte[]) bv);
                    } else {
                        assertEquals(av, bv);
                    }
                }
            }
        }
    }
}
