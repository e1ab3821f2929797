package org.spreadjms.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.wire.FrameDecoder;
import org.spreadjms.client.wire.FrameEncoder;
import org.spreadjms.client.wire.GroupNames;
import org.spreadjms.client.wire.RawFrame;

/**
 * The REJECT_MESS a daemon returns for a refused message or join (Spread 4's Sess_create_reject_message): golden
 * bytes, decoding split at every byte, and how the client presents it.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RejectFrameTest {
    private static final String MALLORY = "#mallory#localhost";

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static byte[] cat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** AGREED|SELF_DISCARD from mallory to "orders", mess_type 1, data "x", big-endian as the official Java client. */
    private static byte[] sentBigEndian() {
        byte[] h = new byte[48];
        FrameEncoder.writeHeader(h, 0, ByteOrder.BIG_ENDIAN, SpreadConstants.AGREED_MESS | SpreadConstants.SELF_DISCARD,
                GroupNames.toSlot(MALLORY), 1, 1, 1);
        return cat(h, GroupNames.toSlot("orders"), "x".getBytes(StandardCharsets.US_ASCII));
    }

    static final byte[] REJECT = cat(
            hex("c0 00 40 80"),                       // type REJECT_MESS | SELF_DISCARD | LE marker
            GroupNames.toSlot(MALLORY),               // sender as sent
            hex("02 00 00 00"),                       // num_groups + 1
            hex("00 00 01 00"),                       // hint unchanged (the sender's big-endian form)
            hex("01 00 00 00"),                       // data_len
            hex("d0 00 00 80"),                       // old_type AGREED|SELF_DISCARD with the marker
            GroupNames.toSlot("orders"), GroupNames.toSlot(MALLORY),   // groups + the sender's private group
            hex("78"));                               // data "x"

    @Test
    void rejectCopyHasTheGoldenBytes() throws Exception {
        RawFrame sent = FrameDecoder.forDaemon(1 << 20).decode(ByteBuffer.wrap(sentBigEndian()));
        byte[] reject = FrameEncoder.rejectCopy(sent, sent.type(), GroupNames.toSlot(MALLORY), 100);
        assertArrayEquals(REJECT, reject);
        assertEquals(48 + 4 + 2 * 32 + 1, reject.length);
    }

    @Test
    void aRefusedJoinCarriesCausedByJoinAsOldType() throws Exception {
        byte[] h = new byte[48];
        FrameEncoder.writeHeader(h, 0, SpreadConstants.JOIN_MESS, GroupNames.toSlot(MALLORY), 1, 0x80000080, 0);
        RawFrame join = FrameDecoder.forDaemon(1 << 20).decode(ByteBuffer.wrap(cat(h, GroupNames.toSlot("orders"))));
        byte[] reject = FrameEncoder.rejectCopy(join, SpreadConstants.CAUSED_BY_JOIN, GroupNames.toSlot(MALLORY), 100);
        DataMessage m = (DataMessage) new FrameConverter(MALLORY).convert(
                FrameDecoder.forClient(1 << 20).decode(ByteBuffer.wrap(reject)));
        assertTrue(m.rejected());
        assertEquals(SpreadConstants.REJECT_MESS | SpreadConstants.CAUSED_BY_JOIN, m.serviceTypeWord());
        assertEquals(List.of("orders", MALLORY), m.groups());
    }

    @Test
    void rejectDecodesTheSameSplitAtEveryByte() throws Exception {
        for (int split = 0; split <= REJECT.length; split++) {
            FrameDecoder d = FrameDecoder.forClient(1 << 20);
            RawFrame f = d.decode(ByteBuffer.wrap(REJECT, 0, split));
            if (split < REJECT.length) {
                assertNull(f, "complete after " + split + " bytes");
                f = d.decode(ByteBuffer.wrap(REJECT, split, REJECT.length - split));
            }
            DataMessage m = (DataMessage) new FrameConverter(MALLORY).convert(f);
            assertTrue(m.rejected(), "split " + split);
            assertEquals(ServiceType.AGREED, m.serviceType());
            assertTrue(m.selfDiscard());
            assertEquals(List.of("orders", MALLORY), m.groups());
            assertEquals(1, m.messType());
            assertArrayEquals("x".getBytes(StandardCharsets.US_ASCII), m.data());
        }
    }

    @Test
    void atOneHundredGroupsTheLastSlotIsReplaced() throws Exception {
        byte[] h = new byte[48];
        FrameEncoder.writeHeader(h, 0, SpreadConstants.FIFO_MESS, GroupNames.toSlot(MALLORY), 100, 0x80000080, 0);
        java.io.ByteArrayOutputStream groups = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 100; i++) {
            groups.writeBytes(GroupNames.toSlot("g" + i));
        }
        RawFrame sent = FrameDecoder.forDaemon(1 << 20).decode(ByteBuffer.wrap(cat(h, groups.toByteArray())));
        RawFrame back = FrameDecoder.forClient(1 << 20).decode(ByteBuffer.wrap(
                FrameEncoder.rejectCopy(sent, sent.type(), GroupNames.toSlot(MALLORY), 100)));
        assertEquals(100, back.numGroups());
        assertEquals("g98", back.group(98));
        assertEquals(MALLORY, back.group(99));
    }
}
