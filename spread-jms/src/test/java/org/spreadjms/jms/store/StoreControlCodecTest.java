package org.spreadjms.jms.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StoreControlCodecTest {
    private static final String SENDER = "#a#d";

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", "").replace("|", ""));
    }

    static Stream<Arguments> golden() {
        Map<String, Long> last = new LinkedHashMap<>();
        last.put("t", 4L);
        last.put("q", 3L);
        return Stream.of(
                Arguments.of(new StoreFrame.Stored(2, List.of(new StoreFrame.Ref("q", "ID:1"))),
                        "73010100 | 0002 | 0001 | 0001 71 | 0004 49443a31"),
                Arguments.of(new StoreFrame.StateRequest(0x0102030405060708L, 5, List.of("q", "t")),
                        "73010200 | 0102030405060708 | 0000000000000005 | 0002 | 0001 71 | 0001 74"),
                Arguments.of(new StoreFrame.StateOffer(7, SENDER),
                        "73010300 | 0000000000000007 | 0004 23612364"),
                Arguments.of(new StoreFrame.StateChunk(1, 2, "q", List.of(new StoredMessage("q", 3,
                                new MessageKey(SENDER, "x"), (short) 0x534B, new byte[] {(byte) 0xAA, (byte) 0xBB}))),
                        "73010400 | 0000000000000001 | 00000002 | 0001 71 | 0001 | 0000000000000003 | 0004 23612364"
                                + " | 0001 78 | 534b | 00000002 | aabb"),
                Arguments.of(new StoreFrame.StateDone(1, 2, 9, last),
                        "73010500 | 0000000000000001 | 00000002 | 0000000000000009 | 0002 | 0001 71"
                                + " | 0000000000000003 | 0001 74 | 0000000000000004"),
                Arguments.of(new StoreFrame.Acked("q", List.of(new MessageKey(SENDER, "x"))),
                        "73010600 | 0001 71 | 0001 | 0004 23612364 | 0001 78"),
                Arguments.of(new StoreFrame.Stored(0, List.of()), "73010100 | 0000 | 0000"),
                Arguments.of(new StoreFrame.Subscribe(5, "g", "t", "u", SENDER, true, false, "a>1"),
                        "73010700 | 0000000000000005 | 0001 67 | 0001 74 | 0001 75 | 0004 23612364 | 01"
                                + " | 0003 613e31"),
                Arguments.of(new StoreFrame.Subscribe(5, "g", "t", "t", SENDER, false, true, ""),
                        "73010700 | 0000000000000005 | 0001 67 | 0001 74 | 0001 74 | 0004 23612364 | 02 | 0000"),
                Arguments.of(new StoreFrame.Subscribed(5, 2, "g", StoreFrame.SubscribeStatus.REPLACED),
                        "73010800 | 0000000000000005 | 0002 | 0001 67 | 02"),
                Arguments.of(new StoreFrame.Unsubscribe(6, "g", SENDER),
                        "73010900 | 0000000000000006 | 0001 67 | 0004 23612364"),
                Arguments.of(new StoreFrame.Unsubscribed(6, 1, "g", StoreFrame.UnsubscribeStatus.ACTIVE),
                        "73010a00 | 0000000000000006 | 0001 | 0001 67 | 02"),
                Arguments.of(new StoreFrame.Browse(7, "q", SENDER, 3, 100),
                        "73010b00 | 0000000000000007 | 0001 71 | 0004 23612364 | 0000000000000003 | 0064"),
                Arguments.of(new StoreFrame.Browsed(7, "q", 4, List.of(new StoredMessage("q", 3,
                                new MessageKey("jms:", "x"), (short) 0x534A, new byte[] {(byte) 0xAA}))),
                        "73010c00 | 0000000000000007 | 0001 71 | 0000000000000004 | 0001 | 0000000000000003"
                                + " | 0004 6a6d733a | 0001 78 | 534a | 00000001 | aa"));
    }

    @ParameterizedTest
    @MethodSource("golden")
    void encodesToTheGoldenBytesAndLengthIsWhatIsWritten(StoreFrame frame, String golden) {
        byte[] expected = hex(golden);
        assertArrayEquals(expected, StoreControlCodec.encode(frame), frame.toString());
        assertEquals(expected.length, StoreControlCodec.encodedLength(frame));
        byte[] buf = new byte[expected.length + 10];
        Arrays.fill(buf, (byte) 0x77);
        assertEquals(expected.length, StoreControlCodec.encode(frame, buf, 3));
        assertArrayEquals(expected, Arrays.copyOfRange(buf, 3, 3 + expected.length));
        assertEquals(0x77, buf[2] & 0xFF, "nothing written before the offset");
        assertEquals(0x77, buf[3 + expected.length] & 0xFF, "nothing written after the frame");
    }

    @ParameterizedTest
    @MethodSource("golden")
    void decodesTheGoldenBytesBackToTheFrame(StoreFrame frame, String golden) throws Exception {
        byte[] bytes = hex(golden);
        StoreFrame decoded = StoreControlCodec.decode(bytes);
        assertEquals(frame.kind(), decoded.kind());
        assertArrayEquals(bytes, StoreControlCodec.encode(decoded), "re-encoding gives the same bytes");
        if (!(frame instanceof StoreFrame.StateChunk) && !(frame instanceof StoreFrame.Browsed)) {
            assertEquals(frame, decoded);
        }
        byte[] inside = new byte[bytes.length + 7];
        System.arraycopy(bytes, 0, inside, 5, bytes.length);
        assertArrayEquals(bytes, StoreControlCodec.encode(StoreControlCodec.decode(inside, 5, bytes.length)),
                "decodes at an offset");
    }

    @ParameterizedTest
    @MethodSource("golden")
    void everyTruncationAndEveryExtraByteIsRefusedCleanly(StoreFrame frame, String golden) {
        byte[] bytes = hex(golden);
        for (int cut = 0; cut < bytes.length; cut++) {
            int n = cut;
            assertThrows(MalformedStoreFrameException.class, () -> StoreControlCodec.decode(bytes, 0, n),
                    "cut at " + cut + " of " + bytes.length);
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        MalformedStoreFrameException e = assertThrows(MalformedStoreFrameException.class,
                () -> StoreControlCodec.decode(longer));
        assertTrue(e.getMessage().contains("follow"), e.getMessage());
    }

    @Test
    void refusesUnknownMagicVersionKindAndFlags() {
        assertRefused("72010100 00000000", "magic 0x72");
        assertRefused("73020100 00000000", "version 2");
        assertRefused("73010d00", "kind 13");
        assertRefused("73010101 00000000", "flags 1");
    }

    @Test
    void refusesBadStringsAndHugeCountsWithoutAllocating() {
        assertRefused("73010300 0000000000000007 0000", "joiner of 0 bytes");
        assertRefused("73010300 0000000000000007 0100" + "61".repeat(256), "joiner of 256 bytes");
        assertRefused("73010300 0000000000000007 0002 c328", "not valid UTF-8");
        assertRefused("73010100 0001 ffff", "needs");
        assertRefused("73010400 0000000000000001 00000000 0001 71 0001 0000000000000003 0004 23612364 0001 78"
                + " 534b 7fffffff", "payload needs 2147483647 bytes");
        assertRefused("73010400 0000000000000001 00000000 0001 71 0001 0000000000000003 0004 23612364 0001 78"
                + " 534b ffffffff", "payload needs -1 bytes");
        assertRefused("73010500 0000000000000001 00000000 0000000000000000 0002 0001 71 0000000000000001"
                + " 0001 71 0000000000000002", "appears twice");
    }

    @Test
    void refusesUndefinedSubscribeOptionsAndStatuses() {
        assertRefused("73010700 0000000000000005 0001 67 0001 74 0001 74 0004 23612364 04 0000", "options 4");
        assertRefused("73010800 0000000000000005 0002 0001 67 04", "status 4");
        assertRefused("73010a00 0000000000000005 0002 0001 67 03", "status 3");
        assertRefused("73010700 0000000000000005 0001 67 0001 74 0001 74 0004 23612364 00 1001", "4097 bytes");
    }

    @Test
    void encodingRefusesWhatDoesNotFit() {
        assertThrows(IllegalArgumentException.class,
                () -> StoreControlCodec.encode(new StoreFrame.Stored(70_000, List.of())));
        assertThrows(IllegalArgumentException.class,
                () -> StoreControlCodec.encode(new StoreFrame.StateOffer(1, "x".repeat(256))));
    }

    private static void assertRefused(String hexBytes, String expected) {
        MalformedStoreFrameException e = assertThrows(MalformedStoreFrameException.class,
                () -> StoreControlCodec.decode(hex(hexBytes)));
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should say " + expected);
    }
}
