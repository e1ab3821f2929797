package org.spreadjms.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.spreadjms.client.SpreadConstants.AGREED_MESS;
import static org.spreadjms.client.SpreadConstants.CAUSED_BY_DISCONNECT;
import static org.spreadjms.client.SpreadConstants.FIFO_MESS;
import static org.spreadjms.client.SpreadConstants.RELIABLE_MESS;
import static org.spreadjms.client.SpreadConstants.SAFE_MESS;
import static org.spreadjms.client.SpreadConstants.SELF_DISCARD;
import static org.spreadjms.daemon.Bytes.ascii;
import static org.spreadjms.daemon.Bytes.concat;
import static org.spreadjms.daemon.Bytes.slot;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.spreadjms.client.wire.RawFrame;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/**
 * Routing of data messages (protocol reference §9.3, vectors §11.11 to §11.14). "Nothing else arrived" is shown with
 * a marker: a message that a client sends after the one under test reaches the receiver after it, so the frames
 * read before the marker are all there was.
 */
@Timeout(30)
class RoutingTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private static RawSpreadClient member(String name, String group) throws IOException {
        RawSpreadClient c = RawSpreadClient.connect(daemon.port(), name, true);
        c.joinAndAwait(group);
        return c;
    }

    @Test
    void nonMemberSendsToOpenGroupAndPointToPoint() throws IOException {
        try (RawSpreadClient alice = member("ra", "rdemo");
             RawSpreadClient erin = RawSpreadClient.connect(daemon.port(), "erin", false)) {
            byte[] open = concat("82 00 00 80", slot("#erin#localhost"), "01 00 00 00 80 01 00 80 04 00 00 00",
                    slot("rdemo"), ascii("open"));
            erin.write(open);
            assertArrayEquals(open, alice.readFrame().bytes());
            byte[] p2p = concat("84 00 00 80", slot("#erin#localhost"), "01 00 00 00 80 02 00 80 03 00 00 00",
                    slot("#ra#localhost"), ascii("p2p"));
            erin.write(p2p);
            assertArrayEquals(p2p, alice.readFrame().bytes());
            erin.multicast(RELIABLE_MESS, 0, "erin-end", erin.privateGroup());
            assertEquals(List.of(), erin.readUntil("erin-end"), "the non-member sender got nothing");
        }
    }

    @Test
    void selfDiscardSkipsOnlyTheSender() throws IOException {
        try (RawSpreadClient alice = member("sa", "sdemo");
             RawSpreadClient erin = member("se", "sdemo")) {
            alice.readFrame(); // erin's join
            byte[] sd = concat("d0 00 00 80", slot("#sa#localhost"), "01 00 00 00 80 03 00 80 02 00 00 00",
                    slot("sdemo"), ascii("sd"));
            alice.write(sd);
            assertArrayEquals(sd, erin.readFrame().bytes());
            alice.multicast(SAFE_MESS | SELF_DISCARD, 0, "two groups", "sdemo", "#sa#localhost", "sdemo");
            RawFrame once = erin.readFrame();
            assertEquals("two groups", new String(once.copyData()));
            alice.multicast(RELIABLE_MESS, 0, "sa-end", alice.privateGroup(), "sdemo");
            assertEquals(List.of(), alice.readUntil("sa-end"), "the sender got neither message");
            assertEquals(List.of(), erin.readUntil("sa-end"), "erin got one copy");
        }
    }

    @Test
    void acceptsAndEchoesGroupNamesTheLibraryWouldRefuse() throws IOException {
        try (RawSpreadClient ivan = RawSpreadClient.connect(daemon.port(), "ivan", true)) {
            ivan.join("bad name");
            RawFrame join = ivan.readFrame();
            assertEquals("bad name", join.sender());
            assertEquals(0x1100, join.type());
            ivan.multicast(AGREED_MESS, 0, "x", "bad name");
            assertEquals("x", new String(ivan.readFrame().copyData()));
            ivan.leave("bad name");
            assertArrayEquals(concat("80 02 00 80", slot("bad name"), "00 00 00 00 80 00 00 80 00 00 00 00"),
                    ivan.readFrame().bytes());
        }
    }

    @Test
    void relaysBigEndianFrameInDaemonOrderWithHintUnchanged() throws IOException {
        try (RawSpreadClient java = RawSpreadClient.connect(daemon.port(), "jcarol", true).bigEndian()) {
            java.write(concat("00 01 00 00", slot("#jcarol#localhost"), "00 00 00 01 00 00 00 00 00 00 00 00",
                    slot("grp")));
            RawFrame join = java.readFrame();
            assertEquals(0x80001180, Integer.reverseBytes(ByteBufferInt.be(join.bytes(), 0)));
            java.write(concat("00 00 00 10", slot("#jcarol#localhost"), "00 00 00 01 00 12 34 00 00 00 00 0c",
                    slot("grp"), ascii("hi from java")));
            assertArrayEquals(concat("90 00 00 80", slot("#jcarol#localhost"), "01 00 00 00 00 12 34 00 0c 00 00 00",
                    slot("grp"), ascii("hi from java")), java.readFrame().bytes());
            java.multicast(RELIABLE_MESS | SELF_DISCARD, -2, "x", "grp", "other");
            java.multicast(RELIABLE_MESS, 0, "j-end", java.privateGroup());
            assertEquals(List.of(), java.readUntil("j-end"));
            java.write(concat("00 02 00 00", slot("#jcarol#localhost"), "00 00 00 01 00 00 00 00 00 00 00 00",
                    slot("grp")));
            assertArrayEquals(concat("80 02 00 80", slot("grp"), "00 00 00 00 80 00 00 80 00 00 00 00"),
                    java.readFrame().bytes());
            java.kill();
            assertEquals(0, java.readToEnd());
        }
    }

    @Test
    void deliversOneCopyPerTargetWhateverTheSlots() throws IOException {
        try (RawSpreadClient alice = member("ma", "mdemo");
             RawSpreadClient bob = member("mb", "mdemo");
             RawSpreadClient carol = member("mc", "mnews")) {
            alice.readFrame(); // bob's join
            bob.joinAndAwait("mnews");
            carol.readFrame(); // bob's join to mnews
            alice.multicast(SAFE_MESS, 7, "multi", "mdemo", "mnews", "#mb#localhost", "#mc#localhost");
            for (RawSpreadClient c : List.of(alice, bob, carol)) {
                RawFrame f = c.readFrame();
                assertEquals("multi", new String(f.copyData()));
                assertArrayEquals(new String[] {"mdemo", "mnews", "#mb#localhost", "#mc#localhost"}, f.groups(),
                        "the full destination list, unfiltered");
            }
            alice.multicast(RELIABLE_MESS, 0, "m-end", "mdemo", "mnews");
            for (RawSpreadClient c : List.of(alice, bob, carol)) {
                assertEquals(List.of(), c.readUntil("m-end"));
            }
        }
    }

    @Test
    void deliversToAllOfAHundredGroups() throws IOException {
        String[] groups = new String[100];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = "hg" + i;
        }
        try (RawSpreadClient all = RawSpreadClient.connect(daemon.port(), "hall", false);
             RawSpreadClient last = RawSpreadClient.connect(daemon.port(), "hlast", false);
             RawSpreadClient mid = RawSpreadClient.connect(daemon.port(), "hmid", false);
             RawSpreadClient sender = RawSpreadClient.connect(daemon.port(), "hsend", false)) {
            for (String g : groups) {
                all.join(g);
            }
            last.join("hg99");
            mid.join("hg44");
            // joins are ordered before anything the same clients send later; make sure they were processed
            for (RawSpreadClient c : List.of(all, last, mid)) {
                c.multicast(RELIABLE_MESS, 0, "joined", c.privateGroup());
                c.readUntil("joined");
            }
            sender.multicast(AGREED_MESS, 0, "hundred", groups);
            sender.multicast(AGREED_MESS, 0, "h-end", "hg0", "hg44", "hg99");
            for (RawSpreadClient c : List.of(all, last, mid)) {
                RawFrame f = c.readFrame();
                assertEquals("hundred", new String(f.copyData()));
                assertEquals(100, f.numGroups());
                assertEquals(List.of(), c.readUntil("h-end"), "one copy only");
            }
        }
    }

    @Test
    void deliversLargestLegalMessageAndDropsOneByteMore() throws IOException {
        try (RawSpreadClient receiver = member("big1", "bigg");
             RawSpreadClient sender = member("big2", "bigg")) {
            receiver.readFrame(); // sender's join
            byte[] data = new byte[DaemonLimits.MAX_DATA_AND_GROUP_BYTES - 32];
            Arrays.fill(data, (byte) 'x');
            data[data.length - 1] = 'y';
            sender.write(sender.frame(AGREED_MESS, 0, data, "bigg"));
            RawFrame f = receiver.readFrame();
            assertEquals(143920, f.dataLength());
            assertArrayEquals(data, f.copyData());

            sender.writeUntilClosed(sender.frame(AGREED_MESS, 0, new byte[data.length + 1], "bigg"));
            RawFrame gone = receiver.readFrame();
            assertEquals(0x1000 | CAUSED_BY_DISCONNECT, gone.type());
            assertEquals("#big2#localhost", RawSpreadClient.changedMember(gone));
            sender.readToEnd();
        }
    }

    @Test
    void ignoresDuplicateJoinAndLeavesOfNonMembers() throws IOException {
        try (RawSpreadClient a = member("dj1", "djg");
             RawSpreadClient b = RawSpreadClient.connect(daemon.port(), "dj2", true)) {
            a.join("djg");
            a.leave("dj-unknown");
            a.multicast(RELIABLE_MESS, 0, "dj-a", a.privateGroup());
            assertEquals(List.of(), a.readUntil("dj-a"), "a duplicate join and a leave of an unknown group");
            b.leave("djg");
            b.multicast(RELIABLE_MESS, 0, "dj-b", b.privateGroup(), a.privateGroup());
            assertEquals(List.of(), b.readUntil("dj-b"), "leave of a group b is not in");
            assertEquals(List.of(), a.readUntil("dj-b"));
        }
    }

    @Test
    void dropsMessagesToUnknownDestinationsSilently() throws IOException {
        try (RawSpreadClient a = RawSpreadClient.connect(daemon.port(), "nobody", true)) {
            a.multicast(FIFO_MESS, 0, "void", "no-such-group", "#ghost#localhost", "#nobody#otherhost", "#hash");
            a.write(a.frame(FIFO_MESS, 0, ascii("zero groups")));
            a.multicast(RELIABLE_MESS, 0, "n-end", a.privateGroup());
            assertEquals(List.of(), a.readUntil("n-end"));
        }
    }
}
