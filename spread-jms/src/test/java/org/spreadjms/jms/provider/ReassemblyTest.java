package org.spreadjms.jms.provider;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ReassemblyTest {
    private static List<Fragment> split(byte[] whole, long key, int chunk) {
        int count = (whole.length + chunk - 1) / chunk;
        List<Fragment> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int off = i * chunk;
            byte[] frame = new Fragment((short) 7, key, i, count, whole.length, whole, off,
                    Math.min(chunk, whole.length - off)).encode();
            out.add(Fragment.decode(frame));
        }
        return out;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void encodedFragmentDecodesToTheSameFields() {
        byte[] data = random(100);
        Fragment f = new Fragment((short) -3, 42, 1, 3, 250, data, 10, 50);
        byte[] frame = f.encode();
        assertEquals(Fragment.HEADER_BYTES + 50, frame.length);
        Fragment d = Fragment.decode(frame);
        assertEquals((short) -3, d.messType());
        assertEquals(42, d.key());
        assertEquals(1, d.index());
        assertEquals(3, d.count());
        assertEquals(250, d.totalLength());
        assertEquals(50, d.length());
    }

    @Test
    void malformedFragmentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Fragment.decode(new byte[5]));
        byte[] frame = new Fragment((short) 0, 1, 0, 1, 3, new byte[3], 0, 3).encode();
        frame[0] = 'X';
        assertThrows(IllegalArgumentException.class, () -> Fragment.decode(frame));
        byte[] badIndex = new Fragment((short) 0, 1, 5, 2, 3, new byte[3], 0, 3).encode();
        assertThrows(IllegalArgumentException.class, () -> Fragment.decode(badIndex));
    }

    @Test
    void piecesInAnyOrderGiveTheWholeMessageOnce() {
        byte[] whole = random(10_000);
        List<Fragment> pieces = split(whole, 1, 999);
        Collections.shuffle(pieces, new Random(3));
        Reassembly r = new Reassembly(1 << 20, 1 << 22, TimeUnit.SECONDS.toNanos(30));
        byte[] result = null;
        for (int i = 0; i < pieces.size(); i++) {
            byte[] got = r.add("#s#d", pieces.get(i));
            if (i < pieces.size() - 1) {
                assertNull(got);
            } else {
                result = got;
            }
        }
        assertArrayEquals(whole, result);
        assertEquals(0, r.partialCount());
    }

    @Test
    void interleavedSendersAreKeptApart() {
        byte[] a = random(5000);
        byte[] b = random(6000);
        List<Fragment> pa = split(a, 1, 700);
        List<Fragment> pb = split(b, 1, 700);
        Reassembly r = new Reassembly(1 << 20, 1 << 22, TimeUnit.SECONDS.toNanos(30));
        byte[] ra = null;
        byte[] rb = null;
        for (int i = 0; i < Math.max(pa.size(), pb.size()); i++) {
            if (i < pa.size()) {
                byte[] x = r.add("#a#d", pa.get(i));
                ra = x != null ? x : ra;
            }
            if (i < pb.size()) {
                byte[] x = r.add("#b#d", pb.get(i));
                rb = x != null ? x : rb;
            }
        }
        assertArrayEquals(a, ra);
        assertArrayEquals(b, rb);
    }

    @Test
    void senderThatLeavesMidMessageIsDiscarded() {
        List<Fragment> pieces = split(random(5000), 9, 1000);
        Reassembly r = new Reassembly(1 << 20, 1 << 22, TimeUnit.SECONDS.toNanos(30));
        r.add("#gone#d", pieces.get(0));
        r.add("#gone#d", pieces.get(1));
        assertEquals(1, r.partialCount());
        r.sendersGone(List.of("#gone#d"));
        assertEquals(0, r.partialCount());
        assertNull(r.add("#gone#d", pieces.get(2)), "a late piece starts a new partial, never a wrong message");
    }

    @Test
    void boundsDropMessagesInsteadOfGrowing() {
        Reassembly small = new Reassembly(4000, 1 << 22, TimeUnit.SECONDS.toNanos(30));
        assertNull(small.add("#s#d", split(random(5000), 1, 1000).get(0)));
        assertEquals(0, small.partialCount(), "a message over the per-message bound is not even started");
        Reassembly tight = new Reassembly(1 << 20, 1500, TimeUnit.SECONDS.toNanos(30));
        List<Fragment> pieces = split(random(5000), 2, 1000);
        tight.add("#s#d", pieces.get(0));
        assertNull(tight.add("#s#d", pieces.get(1)));
        assertEquals(0, tight.partialCount(), "the memory bound discards the partial message");
    }

    @Test
    void quietPartialMessagesExpire() throws Exception {
        Reassembly r = new Reassembly(1 << 20, 1 << 22, TimeUnit.MILLISECONDS.toNanos(1));
        List<Fragment> a = split(random(3000), 1, 1000);
        r.add("#s#d", a.get(0));
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        r.add("#t#d", split(random(3000), 1, 1000).get(0));
        assertEquals(1, r.partialCount(), "the quiet one expired when the next piece arrived");
    }

    @Test
    void splitCutsAMessageIntoFramesOfAtMostTheGivenSizeThatPutTogetherGiveItBack() {
        byte[] whole = random(10_000);
        List<byte[]> frames = new ArrayList<>();
        int count = Fragment.split((short) 0x534A, 77, whole, whole.length, 1028, frames::add);
        assertEquals(10, count, "1,000 payload bytes per 1,028-byte frame");
        assertEquals(count, frames.size());
        Reassembly r = Reassembly.inOrder(1 << 20, 1 << 22, reason -> { }, what -> { });
        byte[] result = null;
        for (byte[] frame : frames) {
            assertTrue(frame.length <= 1028, "frame of " + frame.length + " bytes");
            Fragment f = Fragment.decode(frame);
            assertEquals((short) 0x534A, f.messType());
            result = r.add("#s#d", f);
        }
        assertArrayEquals(whole, result);
        assertThrows(IllegalArgumentException.class,
                () -> Fragment.split((short) 1, 1, whole, whole.length, Fragment.HEADER_BYTES, frames::add));
    }

    @Test
    void inOrderIgnoresAMessageWhoseFirstPiecesCameBeforeItJoinedAndTakesTheNextOne() {
        List<String> missed = new ArrayList<>();
        Reassembly r = Reassembly.inOrder(1 << 20, 1 << 22, reason -> { }, missed::add);
        List<Fragment> joinedLate = split(random(5000), 1, 1000);
        for (Fragment f : joinedLate.subList(2, joinedLate.size())) {
            assertNull(r.add("#s#d", f));
            assertEquals(0, r.partialCount(), "nothing is kept of a message that cannot complete");
        }
        assertEquals(1, missed.size(), "told when its last piece passed: " + missed);
        r.add("#t#d", split(random(5000), 1, 1000).get(4));
        assertEquals(2, missed.size(), "a last piece alone is a missed message too");
        byte[] next = random(3000);
        byte[] result = null;
        for (Fragment f : split(next, 2, 1000)) {
            result = r.add("#s#d", f);
        }
        assertArrayEquals(next, result);
    }

    @Test
    void inOrderDropsAMessageWithAGapAndIgnoresItsLaterPieces() {
        List<String> missed = new ArrayList<>();
        Reassembly r = Reassembly.inOrder(1 << 20, 1 << 22, reason -> { }, missed::add);
        List<Fragment> pieces = split(random(5000), 1, 1000);
        r.add("#s#d", pieces.get(0));
        assertNull(r.add("#s#d", pieces.get(2)), "piece 2 when 1 is expected");
        assertEquals(0, r.partialCount());
        assertNull(r.add("#s#d", pieces.get(3)));
        assertNull(r.add("#s#d", pieces.get(4)));
        assertEquals(0, r.partialCount(), "the later pieces start nothing");
        assertEquals(List.of(), missed, "dropped here as everywhere: not a message others completed");
    }

    @Test
    void piecesOfAMessageDroppedForTheMemoryBoundStartNoNewPartial() {
        Reassembly tight = new Reassembly(1 << 20, 1500, TimeUnit.SECONDS.toNanos(30));
        List<Fragment> pieces = split(random(5000), 2, 1000);
        tight.add("#s#d", pieces.get(0));
        assertNull(tight.add("#s#d", pieces.get(1)));
        assertNull(tight.add("#s#d", pieces.get(2)));
        assertEquals(0, tight.partialCount(), "a dropped message holds no memory until a timeout");
        byte[] small = random(1200);
        byte[] result = null;
        for (Fragment f : split(small, 3, 1000)) {
            result = tight.add("#s#d", f);
        }
        assertArrayEquals(small, result, "the next message of the sender still completes");
    }

    @Test
    void aMessageRefusedForItsSizeIsReportedOnce() {
        List<String> refusals = new ArrayList<>();
        Reassembly r = Reassembly.inOrder(4000, 1 << 22, refusals::add, what -> { });
        for (Fragment f : split(random(5000), 1, 1000)) {
            assertNull(r.add("#s#d", f));
        }
        assertEquals(1, refusals.size(), refusals.toString());
        assertTrue(refusals.get(0).contains("5000 bytes"), refusals.get(0));
    }

    @Test
    void inOrderMakesRoomByDiscardingThePartialMessageThatGrewLeastRecently() {
        Reassembly r = Reassembly.inOrder(1 << 20, 4500, reason -> { }, what -> { });
        List<Fragment> stuck = split(random(9000), 1, 1000);
        byte[] other = random(3000);
        List<Fragment> otherPieces = split(other, 1, 1000);
        r.add("#stuck#d", stuck.get(0));
        r.add("#stuck#d", stuck.get(1));
        r.add("#other#d", otherPieces.get(0));
        byte[] fresh = random(2500);
        byte[] result = null;
        for (Fragment f : split(fresh, 2, 1000)) {
            result = r.add("#new#d", f);
        }
        assertArrayEquals(fresh, result, "room was made for it");
        assertEquals(1, r.partialCount(), "only the partial message that grew least recently was discarded");
        assertNull(r.add("#stuck#d", stuck.get(2)));
        assertEquals(1, r.partialCount(), "the rest of the discarded message starts nothing");
        r.add("#other#d", otherPieces.get(1));
        assertArrayEquals(other, r.add("#other#d", otherPieces.get(2)), "the other one still completes");
    }
}
