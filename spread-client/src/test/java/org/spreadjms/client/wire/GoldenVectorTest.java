package org.spreadjms.client.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.spreadjms.client.wire.CaptureVectors.Vector;

/**
 * Every frame and handshake unit captured against a real Spread 4.0.0 daemon decodes and re-encodes byte for byte,
 * whatever the TCP segmentation.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GoldenVectorTest {
    private static final long MAX = 4 * 1024 * 1024;

    /** The decoded fields two decodes of the same bytes must agree on. */
    record Fields(ByteOrder order, int type, int numGroups, int dataLength, String sender, List<String> groups,
                  short messType, ByteOrder hintOrder, List<Byte> data) {
        static Fields of(RawFrame f) {
            byte[] d = f.copyData();
            List<Byte> data = new ArrayList<>(d.length);
            for (byte b : d) {
                data.add(b);
            }
            return new Fields(f.order(), f.type(), f.numGroups(), f.dataLength(), f.sender(),
                    Arrays.asList(f.groups()), f.messType(), f.hintOrder(), data);
        }
    }

    static Stream<Vector> daemonFrames() {
        return CaptureVectors.daemonFrames();
    }

    static Stream<Vector> clientFrames() {
        return CaptureVectors.clientFrames();
    }

    @Test
    void capturesHoldTheExpectedNumberOfFrames() {
        // guards the label filter: a filter that dropped everything would make the parameterized tests vacuous
        assertEquals(26, CaptureVectors.daemonFrames().count());
        assertEquals(24, CaptureVectors.clientFrames().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("daemonFrames")
    void daemonFrameDecodesIdenticallyWholeSplitAndByteByByte(Vector v) throws Exception {
        byte[] b = v.bytes();
        FrameDecoder whole = FrameDecoder.forClient(MAX);
        ByteBuffer in = ByteBuffer.wrap(b);
        RawFrame f = whole.decode(in);
        assertNotNull(f, "whole frame did not decode");
        assertEquals(0, in.remaining(), "decoder left bytes of a single frame unread");
        assertArrayEquals(b, f.bytes());
        assertFalse(whole.midFrame());
        assertEquals(ByteOrder.LITTLE_ENDIAN, f.order());
        Fields expected = Fields.of(f);

        for (int split = 1; split < b.length; split++) {
            FrameDecoder d = FrameDecoder.forClient(MAX);
            assertNull(d.decode(ByteBuffer.wrap(b, 0, split)), "frame complete after " + split + " bytes");
            assertTrue(d.midFrame(), "not mid-frame after " + split + " bytes");
            RawFrame g = d.decode(ByteBuffer.wrap(b, split, b.length - split));
            assertNotNull(g, "no frame after split at " + split);
            assertEquals(expected, Fields.of(g), "split at " + split);
            assertArrayEquals(b, g.bytes(), "split at " + split);
        }

        FrameDecoder d = FrameDecoder.forClient(MAX);
        RawFrame last = null;
        for (int i = 0; i < b.length; i++) {
            RawFrame g = d.decode(ByteBuffer.wrap(b, i, 1));
            if (i < b.length - 1) {
                assertNull(g, "frame complete after " + (i + 1) + " of " + b.length + " bytes");
            } else {
                last = g;
            }
        }
        assertNotNull(last);
        assertEquals(expected, Fields.of(last));
        assertFalse(d.midFrame());
    }

    @Test
    void allDaemonFramesBackToBackDecodeInOrderForEveryChunkSize() throws Exception {
        List<Vector> frames = CaptureVectors.daemonFrames().toList();
        byte[] stream = concat(frames.stream().map(Vector::bytes).toList());
        for (int chunk = 1; chunk <= 200; chunk++) {
            FrameDecoder d = FrameDecoder.forClient(MAX);
            List<byte[]> got = new ArrayList<>();
            for (int p = 0; p < stream.length; p += chunk) {
                ByteBuffer in = ByteBuffer.wrap(stream, p, Math.min(chunk, stream.length - p));
                RawFrame f;
                while ((f = d.decode(in)) != null) {
                    got.add(f.bytes());
                }
                assertEquals(0, in.remaining());
            }
            assertEquals(frames.size(), got.size(), "chunk size " + chunk);
            for (int i = 0; i < got.size(); i++) {
                assertArrayEquals(frames.get(i).bytes(), got.get(i), "frame " + i + ", chunk size " + chunk);
            }
            assertFalse(d.midFrame());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientFrames")
    void clientFrameDecodesAndReEncodesToIdenticalBytes(Vector v) throws Exception {
        byte[] b = v.bytes();
        ByteBuffer in = ByteBuffer.wrap(b);
        RawFrame f = FrameDecoder.forDaemon(MAX).decode(in);
        assertNotNull(f);
        assertEquals(0, in.remaining());
        assertEquals(ByteOrder.LITTLE_ENDIAN, f.order());
        assertEquals(ByteOrder.LITTLE_ENDIAN, f.hintOrder());

        byte[] out = new byte[FrameEncoder.frameLength(f.numGroups(), f.dataLength())];
        FrameEncoder.writeHeader(out, 0, f.type(), GroupNames.toSlot(f.sender()), f.numGroups(), f.hintWordLE(),
                f.dataLength());
        int p = FrameHeader.LENGTH;
        for (String g : f.groups()) {
            FrameEncoder.writeSlot(out, p, GroupNames.toSlot(g));
            p += GroupNames.SLOT_BYTES;
        }
        System.arraycopy(f.copyData(), 0, out, p, f.dataLength());
        assertArrayEquals(b, out);
        // the messType form of the encoder writes the same hint
        byte[] again = out.clone();
        FrameEncoder.writeHeader(again, 0, ByteOrder.LITTLE_ENDIAN, f.type(), GroupNames.toSlot(f.sender()),
                f.numGroups(), f.messType(), f.dataLength());
        assertArrayEquals(b, again);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allFrames")
    void frameReWrittenBigEndianDecodesToTheSameFields(Vector v) throws Exception {
        RawFrame le = FrameDecoder.forDaemon(MAX).decode(ByteBuffer.wrap(v.bytes()));
        assertNotNull(le);
        byte[] be = v.bytes().clone();
        FrameEncoder.writeHeader(be, 0, ByteOrder.BIG_ENDIAN, le.type(), GroupNames.toSlot(le.sender()),
                le.numGroups(), le.messType(), le.dataLength());
        RawFrame f = FrameDecoder.forClient(MAX).decode(ByteBuffer.wrap(be));
        assertNotNull(f);
        assertEquals(ByteOrder.BIG_ENDIAN, f.order());
        assertEquals(ByteOrder.BIG_ENDIAN, f.hintOrder());
        Fields expected = Fields.of(le);
        assertEquals(new Fields(ByteOrder.BIG_ENDIAN, expected.type(), expected.numGroups(), expected.dataLength(),
                expected.sender(), expected.groups(), expected.messType(), ByteOrder.BIG_ENDIAN, expected.data()),
                Fields.of(f));
        assertEquals(0, be[3] & 0x80, "big-endian type word must not carry the marker");
    }

    static Stream<Vector> allFrames() {
        return Stream.concat(CaptureVectors.daemonFrames(), CaptureVectors.clientFrames());
    }

    @Test
    void connectRequestsEqualTheCapturedBytes() {
        assertArrayEquals(CaptureVectors.bytes("alice: connect request"),
                Handshake.connectRequest(4, 0, 0, true, false, "alice"));
        assertArrayEquals(CaptureVectors.bytes("bob: connect request"),
                Handshake.connectRequest(4, 0, 0, true, false, "bob"));
        assertArrayEquals(CaptureVectors.bytes("anonymous: connect request"),
                Handshake.connectRequest(4, 0, 0, false, false, ""));
        assertArrayEquals(CaptureVectors.bytes("erin: connect request"),
                Handshake.connectRequest(4, 0, 0, false, false, "erin"));
    }

    @Test
    void authChoiceIsTheCaptured90Bytes() {
        byte[] captured = CaptureVectors.bytes("alice: auth choice");
        assertEquals(90, captured.length);
        assertArrayEquals(captured, Handshake.authChoice("NULL"));
        assertEquals(List.of("NULL"), Handshake.parseAuthChoice(captured));
    }

    @Test
    void capturedAuthListParsesToNullAndIsReproduced() {
        byte[] list = CaptureVectors.bytes("alice: auth method list");
        assertEquals(list.length - 1, list[0]);
        assertEquals(List.of("NULL"), Handshake.parseAuthList(Arrays.copyOfRange(list, 1, list.length)));
        assertArrayEquals(list, Handshake.authList(List.of("NULL")));
    }

    @Test
    void acceptEqualsTheCapturedBytes() {
        assertArrayEquals(CaptureVectors.bytes("alice: accept + version + private group"),
                Handshake.accept(4, 0, 0, true, "#alice#localhost"));
        assertArrayEquals(CaptureVectors.bytes("bob: accept + version + private group"),
                Handshake.accept(4, 0, 0, true, "#bob#localhost"));
        assertArrayEquals(CaptureVectors.bytes("anonymous: accept + version + private group"),
                Handshake.accept(4, 0, 0, true, "#r0-11#localhost"));
    }

    private static byte[] concat(List<byte[]> parts) {
        int n = parts.stream().mapToInt(p -> p.length).sum();
        byte[] out = new byte[n];
        int p = 0;
        for (byte[] b : parts) {
            System.arraycopy(b, 0, out, p, b.length);
            p += b.length;
        }
        return out;
    }
}
