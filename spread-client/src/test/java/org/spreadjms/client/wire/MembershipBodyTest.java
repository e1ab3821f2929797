package org.spreadjms.client.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.membership.GroupId;

/** Membership bodies whose counts or offsets do not fit the body are refused, never read past the body. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MembershipBodyTest {
    private static final GroupId GID = new GroupId(0x7F000001, 1795300162, 3);
    private static final MembershipBody TWO_SETS = new MembershipBody(GID,
            List.of(List.of("#a#d1", "#b#d1"), List.of("#c#d2")), 1);

    @Test
    void encodedLengthEqualsBytesWrittenAndPointsAtTheLocalSet() throws Exception {
        byte[] b = TWO_SETS.encode(ByteOrder.LITTLE_ENDIAN);
        assertEquals(b.length, TWO_SETS.encodedLength());
        assertEquals(20 + 4 + 64 + 4 + 32, b.length);
        assertEquals(4 + 64, intAt(b, 16));
        MembershipBody d = MembershipBody.decode(b, 0, b.length, ByteOrder.LITTLE_ENDIAN);
        assertEquals(TWO_SETS, d);
        assertEquals(List.of("#c#d2"), d.localVsSet());
    }

    @Test
    void emptyBodyWithoutSetsDecodesWithNoLocalSet() throws Exception {
        MembershipBody none = new MembershipBody(GID, List.of(), -1);
        byte[] b = none.encode(ByteOrder.BIG_ENDIAN);
        assertEquals(20, b.length);
        MembershipBody d = MembershipBody.decode(b, 0, b.length, ByteOrder.BIG_ENDIAN);
        assertEquals(-1, d.localSet());
        assertEquals(List.of(), d.localVsSet());
    }

    @Test
    void vsSetCountLargerThanTheBodyIsMalformed() {
        byte[] b = TWO_SETS.encode(ByteOrder.LITTLE_ENDIAN);
        putInt(b, 12, 3);
        MalformedFrameException e = assertThrows(MalformedFrameException.class,
                () -> MembershipBody.decode(b, 0, b.length, ByteOrder.LITTLE_ENDIAN));
        assertTrue(e.getMessage().contains("vs set 2"), e.getMessage());
    }

    @Test
    void hugeUnsignedVsSetCountIsMalformedNotALongLoop() {
        byte[] b = TWO_SETS.encode(ByteOrder.LITTLE_ENDIAN);
        putInt(b, 12, -1);
        assertThrows(MalformedFrameException.class,
                () -> MembershipBody.decode(b, 0, b.length, ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void memberCountLargerThanTheBodyIsMalformed() {
        byte[] b = TWO_SETS.encode(ByteOrder.LITTLE_ENDIAN);
        putInt(b, 20 + 4 + 64, 2); // the last set claims 2 members, the body holds 1
        MalformedFrameException e = assertThrows(MalformedFrameException.class,
                () -> MembershipBody.decode(b, 0, b.length, ByteOrder.LITTLE_ENDIAN));
        assertTrue(e.getMessage().contains("vs set 1 claims 2 members"), e.getMessage());
        putInt(b, 20, -1); // 4294967295 members, read unsigned
        assertThrows(MalformedFrameException.class,
                () -> MembershipBody.decode(b, 0, b.length, ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void truncatedBodyIsMalformedAtEveryLength() {
        byte[] b = TWO_SETS.encode(ByteOrder.LITTLE_ENDIAN);
        for (int len = 0; len < b.length; len++) {
            int n = len;
            assertThrows(MalformedFrameException.class, () -> MembershipBody.decode(b, 0, n, ByteOrder.LITTLE_ENDIAN),
                    "body cut to " + len + " bytes");
        }
    }

    @Test
    void localOffsetThatDoesNotStartASetIsMalformed() {
        byte[] b = TWO_SETS.encode(ByteOrder.LITTLE_ENDIAN);
        for (int bad : new int[] {4, 7, 67, 69, 1000}) {
            putInt(b, 16, bad);
            MalformedFrameException e = assertThrows(MalformedFrameException.class,
                    () -> MembershipBody.decode(b, 0, b.length, ByteOrder.LITTLE_ENDIAN), "offset " + bad);
            assertTrue(e.getMessage().contains("local_vs_set_offset " + bad), e.getMessage());
        }
    }

    @Test
    void groupIdNeedsTwelveBytes() throws Exception {
        byte[] b = MembershipBody.encodeGroupId(GID, ByteOrder.BIG_ENDIAN);
        assertEquals(GID, MembershipBody.readGroupId(b, 0, 12, ByteOrder.BIG_ENDIAN));
        assertThrows(MalformedFrameException.class, () -> MembershipBody.readGroupId(b, 0, 11, ByteOrder.BIG_ENDIAN));
    }

    private static int intAt(byte[] b, int offset) {
        return ByteBuffer.wrap(b, offset, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static void putInt(byte[] b, int offset, int v) {
        ByteBuffer.wrap(b, offset, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(v);
    }
}
