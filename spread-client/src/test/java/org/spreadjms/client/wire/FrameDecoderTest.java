package org.spreadjms.client.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.SpreadConstants;

/** Exact decodes of chosen captured frames (§11), the same frames big-endian, and malformed headers. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FrameDecoderTest {
    private static final long MAX = 1024 * 1024;
    private static final String ALICE = "#alice#localhost";

    /** §11.14: what the official Java client (big-endian, no marker) sent. */
    static final byte[] JAVA_AGREED = frame("00000010", slot("#jcarol#localhost"), "00000001", "00123400", "0000000c",
            slot("grp"), ascii("hi from java"));
    /** §11.14: the daemon's relay of it: type, num_groups and data_len little-endian, hint unchanged. */
    static final byte[] JAVA_AGREED_RELAYED = frame("90000080", slot("#jcarol#localhost"), "01000000", "00123400",
            "0c000000", slot("grp"), ascii("hi from java"));

    @Test
    void tv2MembershipDecodesToJoinOfAliceInDemo() throws Exception {
        byte[] b = CaptureVectors.bytes("alice: membership (alice joined demo)");
        RawFrame f = decode(b);
        assertEquals(ByteOrder.LITTLE_ENDIAN, f.order());
        assertEquals(0x1100, f.type());
        assertTrue(f.isMembership());
        assertFalse(f.isRegular());
        assertEquals("demo", f.sender());
        assertEquals(1, f.numGroups());
        assertEquals(List.of(ALICE), Arrays.asList(f.groups()));
        assertEquals(56, f.dataLength());
        assertEquals(0, f.messType());

        MembershipBody body = MembershipBody.decode(b, f.dataOffset(), f.dataLength(), f.order());
        assertEquals(0x7F000001, body.groupId().procId());
        assertEquals(1795300162, body.groupId().time());
        assertEquals(1, body.groupId().index());
        assertEquals(List.of(List.of(ALICE)), body.vsSets());
        assertEquals(0, body.localSet());
        assertEquals(List.of(ALICE), body.localVsSet());

        byte[] encoded = body.encode(ByteOrder.LITTLE_ENDIAN);
        assertArrayEquals(Arrays.copyOfRange(b, f.dataOffset(), b.length), encoded);
        assertEquals(encoded.length, body.encodedLength());
        assertEquals(56, body.encodedLength());
    }

    @Test
    void tv2MembershipWrittenBigEndianDecodesToTheSameFieldsAndBody() throws Exception {
        RawFrame le = decode(CaptureVectors.bytes("alice: membership (alice joined demo)"));
        MembershipBody body = MembershipBody.decode(le.bytes(), le.dataOffset(), le.dataLength(), le.order());
        byte[] beBody = body.encode(ByteOrder.BIG_ENDIAN);
        byte[] be = new byte[FrameEncoder.frameLength(1, beBody.length)];
        FrameEncoder.writeHeader(be, 0, ByteOrder.BIG_ENDIAN, 0x1100, GroupNames.toSlot("demo"), 1, 0, beBody.length);
        FrameEncoder.writeSlot(be, FrameHeader.LENGTH, GroupNames.toSlot(ALICE));
        System.arraycopy(beBody, 0, be, FrameHeader.LENGTH + GroupNames.SLOT_BYTES, beBody.length);
        assertArrayEquals(HexFormat.of().parseHex("00001100"), Arrays.copyOf(be, 4));

        RawFrame f = decode(be);
        assertEquals(ByteOrder.BIG_ENDIAN, f.order());
        assertEquals(0x1100, f.type());
        assertEquals("demo", f.sender());
        assertEquals(List.of(ALICE), Arrays.asList(f.groups()));
        assertEquals(56, f.dataLength());
        assertEquals(0, f.messType());
        assertEquals(body, MembershipBody.decode(be, f.dataOffset(), f.dataLength(), f.order()));
    }

    @Test
    void membershipBodyRoundTripsInBothByteOrders() throws Exception {
        MembershipBody body = new MembershipBody(new org.spreadjms.client.membership.GroupId(0x7F000001, -5, 9),
                List.of(List.of("#a#d1", "#b#d1"), List.of(), List.of("#c#d2")), 2);
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            byte[] b = body.encode(order);
            assertEquals(20 + 4 + 64 + 4 + 4 + 32, b.length);
            assertEquals(b.length, body.encodedLength());
            assertEquals(3, ByteBuffer.wrap(b, 12, 4).order(order).getInt(), order + " num_vs_sets");
            assertEquals(4 + 64 + 4, ByteBuffer.wrap(b, 16, 4).order(order).getInt(), order + " local offset");
            // decode from inside a larger buffer, as from a frame
            byte[] padded = new byte[b.length + 7];
            System.arraycopy(b, 0, padded, 5, b.length);
            assertEquals(body, MembershipBody.decode(padded, 5, b.length, order), order.toString());
        }
        assertFalse(Arrays.equals(body.encode(ByteOrder.LITTLE_ENDIAN), body.encode(ByteOrder.BIG_ENDIAN)));
    }

    @Test
    void tv4AgreedMessageCarriesMessType0x1234InALittleEndianHint() throws Exception {
        RawFrame f = decode(CaptureVectors.bytes("bob: AGREED message"));
        assertEquals(SpreadConstants.AGREED_MESS, f.type());
        assertTrue(f.isRegular());
        assertEquals(ALICE, f.sender());
        assertEquals(List.of("demo"), Arrays.asList(f.groups()));
        assertEquals(0x1234, f.messType());
        assertEquals(ByteOrder.LITTLE_ENDIAN, f.hintOrder());
        assertEquals(0x80123480, f.hintWordLE());
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), f.copyData());
    }

    @Test
    void tv4AgreedMessageWrittenBigEndianDecodesToTheSameFields() throws Exception {
        byte[] be = CaptureVectors.bytes("bob: AGREED message").clone();
        FrameEncoder.writeHeader(be, 0, ByteOrder.BIG_ENDIAN, SpreadConstants.AGREED_MESS, GroupNames.toSlot(ALICE), 1,
                0x1234, 5);
        RawFrame f = decode(be);
        assertEquals(ByteOrder.BIG_ENDIAN, f.order());
        assertEquals(ByteOrder.BIG_ENDIAN, f.hintOrder());
        assertEquals(SpreadConstants.AGREED_MESS, f.type());
        assertEquals(ALICE, f.sender());
        assertEquals(List.of("demo"), Arrays.asList(f.groups()));
        assertEquals(0x1234, f.messType());
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), f.copyData());
    }

    @Test
    void bigEndianEncoderWritesExactlyWhatTheOfficialJavaClientSent() {
        byte[] out = new byte[JAVA_AGREED.length];
        FrameEncoder.writeHeader(out, 0, ByteOrder.BIG_ENDIAN, SpreadConstants.AGREED_MESS,
                GroupNames.toSlot("#jcarol#localhost"), 1, 0x1234, 12);
        FrameEncoder.writeSlot(out, FrameHeader.LENGTH, GroupNames.toSlot("grp"));
        System.arraycopy(ascii("hi from java"), 0, out, 80, 12);
        assertArrayEquals(JAVA_AGREED, out);
    }

    @Test
    void officialJavaClientFrameDecodesBigEndian() throws Exception {
        RawFrame f = FrameDecoder.forDaemon(MAX).decode(ByteBuffer.wrap(JAVA_AGREED));
        assertNotNull(f);
        assertEquals(92, JAVA_AGREED.length);
        assertEquals(ByteOrder.BIG_ENDIAN, f.order());
        assertEquals(ByteOrder.BIG_ENDIAN, f.hintOrder());
        assertEquals(SpreadConstants.AGREED_MESS, f.type());
        assertEquals("#jcarol#localhost", f.sender());
        assertEquals(List.of("grp"), Arrays.asList(f.groups()));
        assertEquals(0x1234, f.messType());
        assertArrayEquals("hi from java".getBytes(StandardCharsets.US_ASCII), f.copyData());
    }

    @Test
    void daemonRelayOfJavaFrameKeepsTheBigEndianHint() throws Exception {
        RawFrame f = decode(JAVA_AGREED_RELAYED);
        assertEquals(ByteOrder.LITTLE_ENDIAN, f.order());
        assertEquals(ByteOrder.BIG_ENDIAN, f.hintOrder());
        assertEquals(SpreadConstants.AGREED_MESS, f.type());
        assertEquals(1, f.numGroups());
        assertEquals(12, f.dataLength());
        assertEquals(0x1234, f.messType());
        assertEquals("#jcarol#localhost", f.sender());
        assertArrayEquals("hi from java".getBytes(StandardCharsets.US_ASCII), f.copyData());

        RawFrame sent = FrameDecoder.forDaemon(MAX).decode(ByteBuffer.wrap(JAVA_AGREED));
        assertArrayEquals(JAVA_AGREED_RELAYED, FrameEncoder.relayCopy(sent));
    }

    @Test
    void negativeMessTypeSurvivesBothByteOrders() throws Exception {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            byte[] b = new byte[FrameEncoder.frameLength(0, 0)];
            FrameEncoder.writeHeader(b, 0, order, SpreadConstants.RELIABLE_MESS, GroupNames.toSlot(ALICE), 0, -2, 0);
            assertEquals(-2, decode(b).messType(), order.toString());
        }
    }

    @Test
    void selfLeaveIsA48ByteFrameWithNoGroupsAndNoData() throws Exception {
        byte[] b = CaptureVectors.bytes("bob: self-leave notification");
        assertEquals(48, b.length);
        RawFrame f = decode(b);
        assertEquals(SpreadConstants.CAUSED_BY_LEAVE, f.type());
        assertTrue(f.isMembership());
        assertEquals("demo", f.sender());
        assertEquals(0, f.numGroups());
        assertEquals(0, f.dataLength());
        assertEquals(0, f.groups().length);
        assertEquals(0, f.copyData().length);
        assertEquals(0, f.messType());

        byte[] be = b.clone();
        FrameEncoder.writeHeader(be, 0, ByteOrder.BIG_ENDIAN, SpreadConstants.CAUSED_BY_LEAVE,
                GroupNames.toSlot("demo"), 0, 0, 0);
        RawFrame g = decode(be);
        assertEquals(ByteOrder.BIG_ENDIAN, g.order());
        assertEquals(SpreadConstants.CAUSED_BY_LEAVE, g.type());
        assertEquals("demo", g.sender());
        assertEquals(0, g.numGroups());
        assertEquals(0, g.dataLength());
    }

    @Test
    void groupNameWithoutNulIsRead32BytesLong() throws Exception {
        byte[] b = CaptureVectors.bytes("bob: AGREED message").clone();
        Arrays.fill(b, 48, 80, (byte) 'x');
        assertEquals("x".repeat(32), decode(b).group(0));
    }

    @Test
    void negativeNumGroupsIsMalformed() {
        byte[] b = header(ByteOrder.LITTLE_ENDIAN, SpreadConstants.AGREED_MESS, -1, 0);
        MalformedFrameException e = assertThrows(MalformedFrameException.class,
                () -> FrameDecoder.forClient(MAX).decode(ByteBuffer.wrap(b)));
        assertTrue(e.getMessage().contains("num_groups=-1"), e.getMessage());
    }

    @Test
    void negativeDataLengthIsMalformedInEitherByteOrder() {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            byte[] b = header(order, SpreadConstants.AGREED_MESS, 1, -7);
            MalformedFrameException e = assertThrows(MalformedFrameException.class,
                    () -> FrameDecoder.forDaemon(MAX).decode(ByteBuffer.wrap(b)));
            assertTrue(e.getMessage().contains("data_len=-7"), e.getMessage());
        }
    }

    @Test
    void frameOverTheLimitIsRefusedFromTheHeaderAloneWithoutAllocating() {
        // 2 GB of claimed body: allocating it would fail with OutOfMemoryError, not MalformedFrameException
        byte[] b = header(ByteOrder.LITTLE_ENDIAN, SpreadConstants.AGREED_MESS, 100, Integer.MAX_VALUE - 10_000);
        MalformedFrameException e = assertThrows(MalformedFrameException.class,
                () -> FrameDecoder.forClient(MAX).decode(ByteBuffer.wrap(b)));
        assertTrue(e.getMessage().contains("exceeds the limit of " + MAX), e.getMessage());
    }

    @Test
    void frameOfExactlyTheLimitIsAcceptedAndOneByteMoreIsNot() throws Exception {
        int limit = 48 + 32 + 100;
        byte[] ok = new byte[limit];
        System.arraycopy(header(ByteOrder.LITTLE_ENDIAN, SpreadConstants.AGREED_MESS, 1, 100), 0, ok, 0, 48);
        assertNotNull(FrameDecoder.forClient(limit).decode(ByteBuffer.wrap(ok)));
        assertThrows(MalformedFrameException.class, () -> FrameDecoder.forClient(limit - 1).decode(ByteBuffer.wrap(ok)));
    }

    @Test
    void midFrameIsTrueAfterAPartialHeaderAndFalseBetweenFrames() throws Exception {
        byte[] b = CaptureVectors.bytes("bob: AGREED message");
        FrameDecoder d = FrameDecoder.forClient(MAX);
        assertFalse(d.midFrame());
        assertNull(d.decode(ByteBuffer.wrap(b, 0, 1)));
        assertTrue(d.midFrame());
        assertNull(d.decode(ByteBuffer.wrap(b, 1, 46)));
        assertTrue(d.midFrame());
        assertNull(d.decode(ByteBuffer.wrap(b, 47, 1)));
        assertTrue(d.midFrame(), "header complete, body missing");
        assertNotNull(d.decode(ByteBuffer.wrap(b, 48, b.length - 48)));
        assertFalse(d.midFrame());
    }

    @Test
    void rejectFrameCarriesOldTypeBeforeTheGroupsForClientsOnly() throws Exception {
        int type = SpreadConstants.REJECT_MESS;
        byte[] b = new byte[48 + 4 + 32 + 2];
        FrameEncoder.writeHeader(b, 0, type, GroupNames.toSlot(ALICE), 1, FrameHeader.hintLittleEndian(5), 2);
        ByteBuffer.wrap(b, 48, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(SpreadConstants.AGREED_MESS | 0x80000080);
        FrameEncoder.writeSlot(b, 52, GroupNames.toSlot("demo"));
        b[84] = 'o';
        b[85] = 'k';
        RawFrame f = decode(b);
        assertTrue(f.isReject());
        assertEquals(52, f.groupsOffset());
        assertEquals(SpreadConstants.AGREED_MESS | 0x80000080, f.oldType());
        assertEquals("demo", f.group(0));
        assertArrayEquals("ok".getBytes(StandardCharsets.US_ASCII), f.copyData());
        assertEquals(5, f.messType());
    }

    private static RawFrame decode(byte[] b) throws MalformedFrameException {
        ByteBuffer in = ByteBuffer.wrap(b);
        RawFrame f = FrameDecoder.forClient(MAX).decode(in);
        assertNotNull(f, "frame incomplete");
        assertEquals(0, in.remaining());
        return f;
    }

    static byte[] header(ByteOrder order, int type, int numGroups, int dataLength) {
        byte[] b = new byte[FrameHeader.LENGTH];
        FrameEncoder.writeHeader(b, 0, order, type, GroupNames.toSlot(ALICE), numGroups, 0, dataLength);
        return b;
    }

    static byte[] slot(String name) {
        return GroupNames.toSlot(name);
    }

    static byte[] ascii(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] frame(Object... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object p : parts) {
            byte[] b = p instanceof String s ? HexFormat.of().parseHex(s) : (byte[]) p;
            out.writeBytes(b);
        }
        return out.toByteArray();
    }
}
