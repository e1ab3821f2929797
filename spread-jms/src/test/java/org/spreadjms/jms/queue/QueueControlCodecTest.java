package org.spreadjms.jms.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class QueueControlCodecTest {
    private static final String MEMBER = "#a#d";

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static IllegalArgumentException rejects(byte[] frame) {
        return assertThrows(IllegalArgumentException.class, () -> QueueControlCodec.decode(frame),
                () -> "decoded " + Arrays.toString(frame));
    }

    private static List<QueueControl> samples() {
        return List.of(new QueueControl(QueueControl.Kind.ACK, MEMBER, List.of("ID:1", "ID:22")),
                new QueueControl(QueueControl.Kind.DECLINE, MEMBER, List.of("ID:x")),
                new QueueControl(QueueControl.Kind.OBSERVER, MEMBER, List.of()),
                new QueueControl(QueueControl.Kind.CONSUMER, MEMBER, List.of()),
                new QueueControl(QueueControl.Kind.ACK, "#\u00fcber#d\u20ac", List.of("ID:\u00e9\u20ac\ud83d\ude00", "")),
                new QueueControl(QueueControl.Kind.HOLDS, MEMBER, "00000001:17:3", List.of("ID:h")),
                new QueueControl(QueueControl.Kind.LACKS, MEMBER, "", List.of("ID:l1", "ID:l2")));
    }

    @Test
    void messageTypeIsSpreadLAndWireValuesAreFixed() {
        assertEquals(0x534C, QueueControlCodec.MESS_TYPE);
        assertEquals(1, QueueControl.Kind.ACK.wire());
        assertEquals(2, QueueControl.Kind.DECLINE.wire());
        assertEquals(3, QueueControl.Kind.OBSERVER.wire());
        assertEquals(4, QueueControl.Kind.CONSUMER.wire());
        assertEquals(6, QueueControl.Kind.HOLDS.wire());
        assertEquals(7, QueueControl.Kind.LACKS.wire());
    }

    @Test
    void ackEncodesToTheDocumentedBytes() {
        byte[] expected = concat(bytes('Q', 1, 1), bytes(0, 4), ascii(MEMBER), bytes(0, 0, 0, 2),
                bytes(0, 4), ascii("ID:1"), bytes(0, 5), ascii("ID:22"));
        assertArrayEquals(expected, QueueControlCodec.encode(samples().get(0)));
    }

    @Test
    void declineEncodesToTheDocumentedBytes() {
        byte[] expected = concat(bytes('Q', 1, 2), bytes(0, 4), ascii(MEMBER), bytes(0, 0, 0, 1),
                bytes(0, 4), ascii("ID:x"));
        assertArrayEquals(expected, QueueControlCodec.encode(samples().get(1)));
    }

    @Test
    void observerAndConsumerEncodeWithAZeroIdCount() {
        assertArrayEquals(concat(bytes('Q', 1, 3), bytes(0, 4), ascii(MEMBER), bytes(0, 0, 0, 0)),
                QueueControlCodec.encode(samples().get(2)));
        assertArrayEquals(concat(bytes('Q', 1, 4), bytes(0, 4), ascii(MEMBER), bytes(0, 0, 0, 0)),
                QueueControlCodec.encode(samples().get(3)));
    }

    @Test
    void encodedLengthEqualsBytesWrittenAndEveryKindRoundTrips() {
        for (QueueControl c : samples()) {
            byte[] b = QueueControlCodec.encode(c);
            assertEquals(QueueControlCodec.encodedLength(c), b.length, c.toString());
            assertEquals(c, QueueControlCodec.decode(b));
        }
    }

    @Test
    void multiByteUtf8StringsAreLengthPrefixedInBytesNotChars() {
        QueueControl c = samples().get(4);
        byte[] b = QueueControlCodec.encode(c);
        int memberBytes = c.member().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertTrue(memberBytes > c.member().length());
        assertEquals(memberBytes, ByteBuffer.wrap(b, 3, 2).getShort() & 0xffff);
    }

    @Test
    void everyPrefixOfEveryKindIsRejectedNamingTheProblem() {
        for (QueueControl c : samples()) {
            byte[] whole = QueueControlCodec.encode(c);
            for (int cut = 0; cut < whole.length; cut++) {
                IllegalArgumentException e = rejects(Arrays.copyOf(whole, cut));
                String m = e.getMessage();
                assertTrue(m.contains("truncated") || m.contains("does not fit"),
                        "cut at " + cut + " of " + c + ": " + m);
            }
        }
    }

    @Test
    void truncationInsideAnIdNamesThatId() {
        byte[] whole = QueueControlCodec.encode(samples().get(0));
        IllegalArgumentException e = rejects(Arrays.copyOf(whole, whole.length - 1));
        assertTrue(e.getMessage().contains("message id 1"), e.getMessage());
    }

    @Test
    void badMagicIsRejectedWithTheMagicFound() {
        byte[] b = QueueControlCodec.encode(samples().get(0));
        b[0] = 'S';
        assertTrue(rejects(b).getMessage().contains("magic 0x53"));
    }

    @Test
    void unknownVersionIsRejectedWithTheVersionFound() {
        byte[] b = QueueControlCodec.encode(samples().get(0));
        b[1] = 2;
        assertTrue(rejects(b).getMessage().contains("version 2"));
    }

    @Test
    void onlyAnswersToCopiesNameAView() {
        assertThrows(IllegalArgumentException.class,
                () -> new QueueControl(QueueControl.Kind.ACK, MEMBER, "00000001:17:3", List.of("ID:1")));
        byte[] b = QueueControlCodec.encode(new QueueControl(QueueControl.Kind.HOLDS, MEMBER, "v1", List.of("ID:1")));
        assertEquals(3 + 2 + MEMBER.length() + 2 + 2 + 4 + 2 + 4, b.length);
        assertEquals("v1", QueueControlCodec.decode(b).view());
    }

    @Test
    void unknownKindsAreRejected() {
        for (int kind : new int[] {0, 8, 0xff}) {
            byte[] b = QueueControlCodec.encode(samples().get(2));
            b[2] = (byte) kind;
            assertTrue(rejects(b).getMessage().contains("unknown queue control kind " + kind));
        }
    }

    @Test
    void hostileIdCountIsRejectedBeforeAnythingIsAllocated() {
        for (int count : new int[] {Integer.MAX_VALUE, -1, Integer.MIN_VALUE, 3}) {
            byte[] frame = concat(bytes('Q', 1, 1), bytes(0, 4), ascii(MEMBER),
                    ByteBuffer.allocate(4).putInt(count).array(), bytes(0, 0, 0, 0)); // room for 2 empty ids only
            IllegalArgumentException e = rejects(frame);
            assertTrue(e.getMessage().contains("id count " + count), e.getMessage());
        }
    }

    @Test
    void hostileStringLengthIsRejected() {
        byte[] frame = concat(bytes('Q', 1, 3), bytes(0xff, 0xff), ascii(MEMBER), bytes(0, 0, 0, 0));
        assertTrue(rejects(frame).getMessage().contains("member of 65535 bytes does not fit"));
    }

    @Test
    void trailingBytesAreRejected() {
        for (QueueControl c : samples()) {
            byte[] b = QueueControlCodec.encode(c);
            byte[] longer = Arrays.copyOf(b, b.length + 2);
            assertTrue(rejects(longer).getMessage().contains("2 bytes after the last id"));
        }
    }

    @Test
    void stringsLongerThan65535BytesAreRefusedWhenEncoding() {
        QueueControl c = new QueueControl(QueueControl.Kind.ACK, MEMBER, List.of("x".repeat(65_536)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QueueControlCodec.encode(c));
        assertTrue(e.getMessage().contains("message id is 65536 bytes"), e.getMessage());
        QueueControl fits = new QueueControl(QueueControl.Kind.ACK, MEMBER, List.of("x".repeat(65_535)));
        assertEquals(fits, QueueControlCodec.decode(QueueControlCodec.encode(fits)));
    }
}
