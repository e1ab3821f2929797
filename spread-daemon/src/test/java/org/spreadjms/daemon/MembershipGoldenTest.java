package org.spreadjms.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spreadjms.daemon.Bytes.ascii;
import static org.spreadjms.daemon.Bytes.concat;
import static org.spreadjms.daemon.Bytes.le;
import static org.spreadjms.daemon.Bytes.slot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.wire.RawFrame;

/**
 * Replays the capture of protocol reference §11.2 to §11.8 (join, second join, AGREED, multigroup SAFE, leave,
 * KILL, dropped socket) and compares every frame byte for byte. Group ids carry this daemon's values: 127.0.0.1 and
 * its start second.
 */
@Timeout(30)
class MembershipGoldenTest {
    private static final String ALICE = "#alice#localhost";
    private static final String BOB = "#bob#localhost";
    private static final String CAROL = "#carol#localhost";

    private int time;

    @Test
    void replaysReferenceCapture() throws IOException {
        long before = Instant.now().getEpochSecond();
        try (EmbeddedSpreadDaemon d = EmbeddedSpreadDaemon.builder().start()) {
            long after = Instant.now().getEpochSecond();
            RawSpreadClient alice = RawSpreadClient.connect(d.port(), "alice", true);

            // 11.2 alice joins demo: write the captured JOIN verbatim
            alice.write(concat("80 00 01 80", slot(ALICE), "01 00 00 00 80 00 00 80 00 00 00 00", slot("demo")));
            byte[] first = alice.readFrame().bytes();
            time = ByteBuffer.wrap(first, 48 + 32 + 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            assertTrue(time >= before && time <= after, "group id time " + time + " is the daemon's start second");
            assertArrayEquals(membership("11", "demo", 1, ALICE, ALICE), first);
            assertEquals(136, first.length);

            // 11.3 bob joins demo: alice and bob get the same 168 bytes
            RawSpreadClient bob = RawSpreadClient.connect(d.port(), "bob", true);
            bob.join("demo");
            byte[] join2 = membership("11", "demo", 2, BOB, ALICE, BOB);
            assertEquals(168, join2.length);
            assertArrayEquals(join2, alice.readFrame().bytes());
            assertArrayEquals(join2, bob.readFrame().bytes());

            // 11.4 AGREED multicast, mess_type 0x1234: delivered byte-identical, also back to alice
            byte[] hello = concat("90 00 00 80", slot(ALICE), "01 00 00 00 80 34 12 80 05 00 00 00", slot("demo"),
                    ascii("hello"));
            alice.write(hello);
            assertArrayEquals(hello, bob.readFrame().bytes());
            assertArrayEquals(hello, alice.readFrame().bytes());

            // 11.5 multigroup SAFE to demo + news: carol in news, bob in both, alice in demo: one copy each
            RawSpreadClient carol = RawSpreadClient.connect(d.port(), "carol", true);
            carol.join("news");
            assertArrayEquals(membership("11", "news", 1, CAROL, CAROL), carol.readFrame().bytes());
            bob.join("news");
            byte[] newsJoin = membership("11", "news", 2, BOB, BOB, CAROL);
            assertArrayEquals(newsJoin, carol.readFrame().bytes());
            assertArrayEquals(newsJoin, bob.readFrame().bytes());
            byte[] multi = concat("a0 00 00 80", slot(ALICE), "02 00 00 00 80 07 00 80 05 00 00 00", slot("demo"),
                    slot("news"), ascii("multi"));
            alice.write(multi);
            assertArrayEquals(multi, alice.readFrame().bytes());
            assertArrayEquals(multi, bob.readFrame().bytes());
            assertArrayEquals(multi, carol.readFrame().bytes());

            // 11.6 bob leaves demo: self-leave to bob, CAUSED_BY_LEAVE to alice (no second copy of "multi" before)
            bob.write(concat("80 00 02 80", slot(BOB), "01 00 00 00 80 00 00 80 00 00 00 00", slot("demo")));
            assertArrayEquals(concat("80 02 00 80", slot("demo"), "00 00 00 00 80 00 00 80 00 00 00 00"),
                    bob.readFrame().bytes());
            assertArrayEquals(membership("12", "demo", 3, BOB, ALICE), alice.readFrame().bytes());

            // 11.7 bob sends KILL: his socket closes, carol (news) gets CAUSED_BY_DISCONNECT
            bob.write(concat("80 00 04 80", slot(BOB), "01 00 00 00 80 00 00 80 00 00 00 00", slot(BOB)));
            assertEquals(0, bob.readToEnd());
            assertArrayEquals(membership("14", "news", 3, BOB, CAROL), carol.readFrame().bytes());

            // 11.8 alice joins news (index 4), carol drops her socket (index 5)
            alice.join("news");
            byte[] join4 = membership("11", "news", 4, ALICE, ALICE, CAROL);
            assertArrayEquals(join4, alice.readFrame().bytes());
            assertArrayEquals(join4, carol.readFrame().bytes());
            carol.close();
            assertArrayEquals(membership("14", "news", 5, CAROL, ALICE), alice.readFrame().bytes());

            // an emptied group is deleted and starts again at index 1
            alice.leave("news");
            assertEquals(0x80000280, typeWordLE(alice.readFrame()));
            alice.join("news");
            assertArrayEquals(membership("11", "news", 1, ALICE, ALICE), alice.readFrame().bytes());
            alice.close();
        }
    }

    private static int typeWordLE(RawFrame f) {
        return ByteBuffer.wrap(f.bytes(), 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** A regular membership frame as the x86 daemon writes it; {@code reason} is the second type byte. */
    private byte[] membership(String reason, String group, int index, String changed, String... members) {
        byte[][] slots = new byte[members.length][];
        for (int i = 0; i < members.length; i++) {
            slots[i] = slot(members[i]);
        }
        return concat("80", reason, "00 80", slot(group), le(members.length), "80 00 00 80 38 00 00 00",
                concat((Object[]) slots), "01 00 00 7f", Bytes.le(time), Bytes.le(index),
                "01 00 00 00 00 00 00 00 01 00 00 00", slot(changed));
    }
}
