package org.spreadjms.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spreadjms.daemon.Bytes.ascii;
import static org.spreadjms.daemon.Bytes.concat;
import static org.spreadjms.daemon.Bytes.hex;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.spreadjms.client.SpreadConstants;
import org.spreadjms.client.wire.Handshake;
import org.spreadjms.daemon.HandshakeParser.Step;

@Timeout(10)
class HandshakeParserTest {
    private static final byte[] REQUEST = hex("04 00 00 01 05 61 6c 69 63 65");

    @Test
    void parsesRequestSplitAtEveryByte() {
        for (int split = 0; split <= REQUEST.length; split++) {
            HandshakeParser p = new HandshakeParser();
            Step first = p.feed(ByteBuffer.wrap(REQUEST, 0, split));
            if (split < REQUEST.length) {
                assertEquals(Step.NEED_MORE, first, "split at " + split);
                assertEquals(Step.REQUEST_DONE, p.feed(ByteBuffer.wrap(REQUEST, split, REQUEST.length - split)));
            } else {
                assertEquals(Step.REQUEST_DONE, first);
            }
            assertEquals("alice", p.privateName());
            assertTrue(p.wantsMembership());
            assertTrue(p.usesAuthPhase());
            assertTrue(p.acceptWithPatch());
            assertEquals(40000, p.version());
        }
    }

    @Test
    void parsesAuthChoiceSplitAtEveryByteAndLeavesFrameBytes() {
        byte[] choice = concat(Handshake.authChoice("NULL"), hex("90 00"));
        for (int split = 0; split < 90; split++) {
            HandshakeParser p = new HandshakeParser();
            assertEquals(Step.REQUEST_DONE, p.feed(ByteBuffer.wrap(REQUEST)));
            p.authListSent();
            ByteBuffer rest = ByteBuffer.wrap(choice, split, choice.length - split);
            if (split > 0) {
                assertEquals(Step.NEED_MORE, p.feed(ByteBuffer.wrap(choice, 0, split)));
            }
            assertEquals(Step.CHOICE_DONE, p.feed(rest));
            assertEquals(java.util.List.of("NULL"), p.chosenMethods());
            assertEquals(2, rest.remaining(), "bytes after the choice belong to the message stream");
        }
    }

    @Test
    void rejectsPipelinedSurplusAsIllegalName() {
        HandshakeParser p = new HandshakeParser();
        assertEquals(Step.REJECT, p.feed(ByteBuffer.wrap(concat(REQUEST, "4e"))));
        assertEquals(SpreadConstants.REJECT_ILLEGAL_NAME, p.rejectCode());
    }

    @Test
    void emptyNameIsARequestForAnInventedOne() {
        HandshakeParser p = new HandshakeParser();
        assertEquals(Step.REQUEST_DONE, p.feed(ByteBuffer.wrap(hex("04 00 00 00 00"))));
        assertEquals("", p.privateName());
        assertFalse(p.wantsMembership());
    }

    @Test
    void legacyClientsSendNoPatchByteBelow3_15() {
        HandshakeParser p = new HandshakeParser();
        assertEquals(Step.REQUEST_DONE, p.feed(ByteBuffer.wrap(concat("03 0e 01 03", ascii("c14")))));
        assertEquals(31400, p.version());
        assertFalse(p.usesAuthPhase());
        assertFalse(p.acceptWithPatch());
    }

    @Test
    void timeoutCodeDependsOnWhatIsMissing() {
        assertEquals(0, timeoutCodeAfter(hex("04")));
        assertEquals(SpreadConstants.REJECT_NO_NAME, timeoutCodeAfter(hex("04 00 00 01")));
        assertEquals(SpreadConstants.REJECT_ILLEGAL_NAME, timeoutCodeAfter(hex("04 00 00 01 05 61")));
    }

    private static int timeoutCodeAfter(byte[] bytes) {
        HandshakeParser p = new HandshakeParser();
        assertEquals(Step.NEED_MORE, p.feed(ByteBuffer.wrap(bytes)));
        return p.timeoutRejectCode();
    }
}
