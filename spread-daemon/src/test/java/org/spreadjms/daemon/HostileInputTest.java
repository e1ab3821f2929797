package org.spreadjms.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.spreadjms.client.SpreadConstants.AGREED_MESS;
import static org.spreadjms.client.SpreadConstants.CAUSED_BY_DISCONNECT;
import static org.spreadjms.client.SpreadConstants.CAUSED_BY_JOIN;
import static org.spreadjms.client.SpreadConstants.GROUPS_MESS;
import static org.spreadjms.client.SpreadConstants.JOIN_MESS;
import static org.spreadjms.client.SpreadConstants.LEAVE_MESS;
import static org.spreadjms.client.SpreadConstants.REG_MEMB_MESS;
import static org.spreadjms.client.SpreadConstants.REJECT_MESS;
import static org.spreadjms.client.SpreadConstants.SAFE_MESS;
import static org.spreadjms.daemon.Bytes.ascii;
import static org.spreadjms.daemon.Bytes.concat;
import static org.spreadjms.daemon.Bytes.le;
import static org.spreadjms.daemon.Bytes.slot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.spreadjms.client.wire.RawFrame;
import org.spreadjms.daemon.junit.SpreadDaemonExtension;

/**
 * Malformed and hostile input closes the offending session only: its groups see CAUSED_BY_DISCONNECT, and a watcher
 * keeps receiving everything else.
 */
@Timeout(30)
class HostileInputTest {
    @RegisterExtension
    static SpreadDaemonExtension daemon = new SpreadDaemonExtension();

    private static int counter;

    /** A little-endian header with a marker, free to be wrong in every field. */
    private static byte[] header(int type, String sender, int numGroups, int hint, int dataLen) {
        return concat(le(type), slot(sender), le(numGroups), le(hint), le(dataLen));
    }

    static Stream<Arguments> hostileFrames() {
        List<Arguments> cases = List.of(
                hostile("negative num_groups", (pg, g) -> header(0x80000090, pg, -1, 0x80000080, 0)),
                hostile("negative data_len", (pg, g) -> header(0x80000090, pg, 1, 0x80000080, -1)),
                hostile("data_len past the limit (refused at the header)",
                        (pg, g) -> header(0x80000090, pg, 0, 0x80000080, 143953)),
                hostile("data_len + 32 * groups past the limit",
                        (pg, g) -> header(0x80000090, pg, 1, 0x80000080, 143921)),
                hostile("huge data_len", (pg, g) -> header(0x80000090, pg, 1, 0x80000080, Integer.MAX_VALUE)),
                hostile("101 groups", (pg, g) -> concat(header(0x80000090, pg, 101, 0x80000080, 0), new byte[101 * 32])),
                hostile("hint bit 0x01", (pg, g) -> concat(header(0x80000090, pg, 1, 0x80000081, 0), slot(g))),
                hostile("hint bits 0x7f000000", (pg, g) -> concat(header(0x80000090, pg, 1, 0xFF000080, 0), slot(g))),
                hostile("sender slot of another session",
                        (pg, g) -> concat(header(0x80000090, "#someone#localhost", 1, 0x80000080, 0), slot(g))),
                hostile("own name with another daemon name",
                        (pg, g) -> concat(header(0x80000090, pg.replace("localhost", "otherhost"), 1, 0x80000080, 0),
                                slot(g))),
                hostile("type 0", (pg, g) -> concat(header(0x80000080, pg, 1, 0x80000080, 0), slot(g))),
                hostile("AGREED | SAFE", (pg, g) -> concat(header(0x800000b0, pg, 1, 0x80000080, 0), slot(g))),
                hostile("JOIN | LEAVE",
                        (pg, g) -> concat(header(JOIN_MESS | LEAVE_MESS | 0x80000080, pg, 1, 0x80000080, 0), slot(g))),
                hostile("JOIN | AGREED",
                        (pg, g) -> concat(header(JOIN_MESS | AGREED_MESS | 0x80000080, pg, 1, 0x80000080, 0), slot("x"))),
                hostile("GROUPS_MESS", (pg, g) -> concat(header(GROUPS_MESS | 0x80000080, pg, 1, 0x80000080, 0), slot("x"))),
                hostile("stray membership bits in a data message", (pg, g) -> concat(
                        header(AGREED_MESS | REG_MEMB_MESS | CAUSED_BY_JOIN | 0x80000080, pg, 1, 0x80000080, 0),
                        slot(g))),
                hostile("REJECT_MESS from a client",
                        (pg, g) -> concat(header(SAFE_MESS | REJECT_MESS | 0x80000080, pg, 1, 0x80000080, 0), slot(g))),
                hostile("little-endian type without marker",
                        (pg, g) -> concat(header(AGREED_MESS, pg, 1, 0x80000080, 0), slot(g))),
                hostile("group slot without NUL", (pg, g) -> {
                    byte[] noNul = new byte[32];
                    Arrays.fill(noNul, (byte) 'g');
                    return concat(header(0x80000090, pg, 1, 0x80000080, 0), noNul);
                }),
                hostile("JOIN without a group slot", (pg, g) -> header(JOIN_MESS | 0x80000080, pg, 0, 0x80000080, 0)),
                hostile("garbage after a valid frame", (pg, g) -> concat(header(0x80000090, pg, 1, 0x80000080, 4),
                        slot(g), ascii("good"), repeat((byte) 0xFF, 48))));
        return cases.stream();
    }

    private static Arguments hostile(String name, BiFunction<String, String, byte[]> bytes) {
        return Arguments.of(name, bytes);
    }

    private static byte[] repeat(byte b, int n) {
        byte[] out = new byte[n];
        Arrays.fill(out, b);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileFrames")
    void dropsOnlyTheOffendingSession(String what, BiFunction<String, String, byte[]> bytes) throws IOException {
        int n = counter++;
        String group = "hostile" + n;
        long malformedBefore = daemon.daemon().counters().malformedFrames();
        try (RawSpreadClient watcher = RawSpreadClient.connect(daemon.port(), "watch" + n, true);
             RawSpreadClient good = RawSpreadClient.connect(daemon.port(), "good" + n, false);
             RawSpreadClient bad = RawSpreadClient.connect(daemon.port(), "bad" + n, false)) {
            watcher.joinAndAwait(group);
            bad.join(group);
            assertEquals(bad.privateGroup(), RawSpreadClient.changedMember(watcher.readFrame()));
            good.multicast(AGREED_MESS, 0, "before", group);
            assertEquals("before", new String(watcher.readFrame().copyData()));

            bad.writeUntilClosed(bytes.apply(bad.privateGroup(), group));
            bad.readToEnd();
            // the daemon applied bad's disconnect before it could read anything else
            good.multicast(AGREED_MESS, 0, "after", group);

            List<RawFrame> seen = new ArrayList<>(watcher.readUntil("after"));
            if (what.startsWith("garbage")) {
                assertEquals("good", new String(seen.remove(0).copyData()), "the valid frame before the garbage");
            }
            assertEquals(1, seen.size(), "only the disconnect: " + seen);
            assertEquals(REG_MEMB_MESS | CAUSED_BY_DISCONNECT, seen.get(0).type());
            assertEquals(bad.privateGroup(), RawSpreadClient.changedMember(seen.get(0)));
            assertEquals(malformedBefore + 1, daemon.daemon().counters().malformedFrames());
        }
    }

    @Test
    void treatsTruncatedHeaderThenCloseAsDisconnect() throws IOException {
        try (RawSpreadClient watcher = RawSpreadClient.connect(daemon.port(), "twatch", true)) {
            watcher.joinAndAwait("trunc");
            String badGroup;
            try (RawSpreadClient bad = RawSpreadClient.connect(daemon.port(), "tbad", false)) {
                badGroup = bad.privateGroup();
                bad.join("trunc");
                watcher.readFrame();
                bad.write(Arrays.copyOf(header(0x80000090, badGroup, 1, 0x80000080, 0), 20));
            }
            RawFrame gone = watcher.readFrame();
            assertEquals(REG_MEMB_MESS | CAUSED_BY_DISCONNECT, gone.type());
            assertEquals(badGroup, RawSpreadClient.changedMember(gone));
        }
    }
}
