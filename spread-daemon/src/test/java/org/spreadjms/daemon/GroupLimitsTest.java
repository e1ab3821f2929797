package org.spreadjms.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.spreadjms.client.SpreadConstants.AGREED_MESS;
import static org.spreadjms.client.SpreadConstants.CAUSED_BY_DISCONNECT;
import static org.spreadjms.client.SpreadConstants.REG_MEMB_MESS;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.SpreadConstants;
import org.spreadjms.client.wire.RawFrame;

/**
 * Joins are bounded per session and in total: a client cannot make the daemon hold groups without limit (before these
 * limits one client joined 200,000 groups in 16 MB of traffic and the daemon kept them all, 68 MB of heap).
 */
@Timeout(30)
class GroupLimitsTest {
    private static String text(RawFrame f) {
        return new String(f.copyData(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aJoinPastTheSessionLimitDropsThatSessionOnly() throws IOException {
        try (EmbeddedSpreadDaemon d = EmbeddedSpreadDaemon.builder().groupLimits(5, 1000).start();
             RawSpreadClient greedy = RawSpreadClient.connect(d.port(), "greedy", true);
             RawSpreadClient watcher = RawSpreadClient.connect(d.port(), "watcher", true)) {
            for (int i = 0; i < 5; i++) {
                greedy.joinAndAwait("g" + i);
            }
            greedy.join("g2"); // a duplicate join changes nothing and is not counted
            watcher.joinAndAwait("g0");
            greedy.readFrame(); // the watcher's join
            greedy.join("g5");
            greedy.readToEnd();
            RawFrame left = watcher.readFrame();
            assertEquals(REG_MEMB_MESS | CAUSED_BY_DISCONNECT, left.type());
            assertEquals(greedy.privateGroup(), RawSpreadClient.changedMember(left));
            assertEquals(1, d.counters().malformedFrames());
            Await.until("only the watcher's group is left", () -> d.counters().groups() == 1);
            watcher.multicast(AGREED_MESS, 0, "still served", "g0");
            assertEquals("still served", text(watcher.readFrame()));
        }
    }

    @Test
    void aJoinThatWouldCreateAGroupPastTheDaemonLimitDropsTheJoiner() throws IOException {
        try (EmbeddedSpreadDaemon d = EmbeddedSpreadDaemon.builder().groupLimits(100, 4).start();
             RawSpreadClient a = RawSpreadClient.connect(d.port(), "a", true);
             RawSpreadClient b = RawSpreadClient.connect(d.port(), "b", true)) {
            for (int i = 0; i < 4; i++) {
                a.joinAndAwait("t" + i);
            }
            b.joinAndAwait("t3"); // an existing group can still be joined at the limit
            a.readFrame(); // b's join
            Await.until("4 groups", () -> d.counters().groups() == 4);
            b.join("t4");
            b.readToEnd();
            assertEquals(1, d.counters().malformedFrames());
            a.multicast(AGREED_MESS, 0, "after", "t3");
            assertEquals(REG_MEMB_MESS | CAUSED_BY_DISCONNECT, a.readFrame().type(), "b left t3");
            assertEquals("after", text(a.readFrame()));
            assertEquals(4, d.counters().groups(), "t4 was never created");
        }
    }

    @Test
    void aJoinFloodIsCutOffAtTheDefaultLimit() throws IOException {
        int limit = DaemonLimits.DEFAULT_MAX_GROUPS_PER_SESSION;
        try (EmbeddedSpreadDaemon d = EmbeddedSpreadDaemon.builder().start();
             RawSpreadClient flood = RawSpreadClient.connect(d.port(), "flood", false)) {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            // bounded: twice the limit; the daemon drops the session at limit + 1
            for (int i = 0; i < 2 * limit; i++) {
                batch.write(flood.frame(SpreadConstants.JOIN_MESS, 0, new byte[0], "g" + i));
                if (batch.size() > 64 * 1024) {
                    flood.writeUntilClosed(batch.toByteArray());
                    batch.reset();
                }
            }
            flood.writeUntilClosed(batch.toByteArray());
            flood.readToEnd();
            Await.until("the flooder's groups are gone", () -> d.counters().groups() == 0);
            assertEquals(1, d.counters().malformedFrames());
        }
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> DaemonLimits.defaults().withGroupLimits(0, 10));
        assertThrows(IllegalArgumentException.class, () -> DaemonLimits.defaults().withGroupLimits(10, 0));
    }
}
